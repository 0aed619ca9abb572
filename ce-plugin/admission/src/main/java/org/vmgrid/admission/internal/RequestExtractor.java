package org.vmgrid.admission.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.decision.ImageTag;
import org.vmgrid.decision.ReservedTerms;
import org.vmgrid.decision.VmAsk;
import org.vmgrid.jdl.ClassAd;
import org.vmgrid.jdl.Expr;
import org.vmgrid.jdl.Jdl;
import org.vmgrid.jdl.JdlSyntaxException;
import org.vmgrid.jdl.Operator;
import org.vmgrid.jdl.Value;

/**
 * Reads a JDL's VM request in either form: the {@code VirtualMachine} record, or
 * {@code Member("VM-IMAGE-<image>", other.GlueHostApplicationSoftwareRunTimeEnvironment)} required
 * (joined with {@code &&}) in {@code CeRequirements} or {@code Requirements}. Both forms may be used
 * together when they name the same image.
 */
public final class RequestExtractor {

    public static final String RECORD = "VirtualMachine";
    private static final String TAG_PREFIX = ImageTag.PREFIX;
    private static final String RUNTIME_ENVIRONMENT = ReservedTerms.TAG_ATTRIBUTE;
    static final List<String> FIELDS = List.of("Image", "Memory", "CPUs", "Network", "UserData");
    static final List<String> REQUIREMENT_ATTRIBUTES = List.of("CeRequirements", "Requirements");
    private static final String EXAMPLE = "VirtualMachine = [ Image = \"<image UUID or site alias>\"; Memory = 2048; ]";

    private RequestExtractor() {
    }

    /** The JDL's VM request, or empty for a plain job. */
    public static Optional<RequestedVm> extract(ClassAd jdl) {
        Optional<RequestedVm> record = jdl.get(RECORD).isPresent() ? Optional.of(record(jdl)) : Optional.empty();
        Set<String> tagged = new LinkedHashSet<>();
        String tagSource = null;
        for (String attr : REQUIREMENT_ATTRIBUTES) {
            List<String> refs = tags(jdl, attr);
            if (!refs.isEmpty() && tagSource == null) {
                tagSource = jdl.spelling(attr).orElse(attr);
            }
            tagged.addAll(refs);
        }
        if (tagged.size() > 1) {
            throw Rejection.refused("the requirements ask for " + tagged.size() + " different VM images ("
                    + String.join(", ", tagged) + "); a job runs in one VM: keep one " + TAG_PREFIX + " tag");
        }
        Optional<String> tag = tagged.stream().findFirst();
        if (record.isEmpty()) {
            return tag.map(ref -> new RequestedVm(ref, OptionalLong.empty(), OptionalLong.empty(), Optional.empty(),
                    Optional.empty(), "the " + TAG_PREFIX + " tag", Optional.empty()));
        }
        RequestedVm r = record.get();
        Optional<String> other = tag.filter(t -> !t.equals(r.imageRef()));
        return Optional.of(new RequestedVm(r.imageRef(), r.memoryMiB(), r.cpus(), r.network(), r.userData(),
                r.source(), other));
    }

    private static RequestedVm record(ClassAd jdl) {
        Value v = Jdl.evaluate(jdl, RECORD);
        if (!(v instanceof Value.Record rec)) {
            throw Rejection.malformed(RECORD + " must be a record, such as " + EXAMPLE + "; it is " + article(v));
        }
        for (ClassAd.Attribute a : rec.ad().attributes()) {
            if (FIELDS.stream().noneMatch(f -> f.equalsIgnoreCase(a.name()))) {
                throw Rejection.malformed(RECORD + " has an unknown attribute " + a.name() + "; it knows "
                        + String.join(", ", FIELDS));
            }
        }
        Value image = Jdl.evaluate(rec, "Image");
        if (image instanceof Value.Undefined) {
            throw Rejection.malformed(RECORD + " names no image; add Image = \"<image UUID or site alias>\"");
        }
        if (!(image instanceof Value.Str s)) {
            throw Rejection.malformed(RECORD + ".Image must be a string holding an image UUID or site alias; it is "
                    + article(image));
        }
        String ref = imageRef(s.value(), RECORD + ".Image");
        return new RequestedVm(ref, whole(rec, "Memory", "MiB, such as 2048"), whole(rec, "CPUs", "CPUs, such as 2"),
                network(rec), text(rec, "UserData"), RECORD + ".Image", Optional.empty());
    }

    private static OptionalLong whole(Value.Record rec, String field, String example) {
        Value v = Jdl.evaluate(rec, field);
        if (v instanceof Value.Undefined) {
            return OptionalLong.empty();
        }
        if (v instanceof Value.Int i) {
            return OptionalLong.of(i.value());
        }
        throw Rejection.malformed(RECORD + "." + field + " must be a whole number of " + example + "; it is " + article(v));
    }

    private static Optional<NetworkMode> network(Value.Record rec) {
        Value v = Jdl.evaluate(rec, "Network");
        if (v instanceof Value.Undefined) {
            return Optional.empty();
        }
        Optional<NetworkMode> mode = v instanceof Value.Str s ? NetworkMode.fromKeyword(s.value()) : Optional.empty();
        if (mode.isEmpty()) {
            throw Rejection.malformed(RECORD + ".Network must be \"none\" or \"outbound\"; it is "
                    + (v instanceof Value.Str s ? "\"" + printable(s.value()) + "\"" : article(v)));
        }
        return mode;
    }

    private static Optional<String> text(Value.Record rec, String field) {
        Value v = Jdl.evaluate(rec, field);
        if (v instanceof Value.Undefined) {
            return Optional.empty();
        }
        if (v instanceof Value.Str s) {
            return Optional.of(s.value());
        }
        throw Rejection.malformed(RECORD + "." + field + " must be a string; it is " + article(v));
    }

    /** The image references required by the VM-IMAGE tags of one requirements attribute. */
    private static List<String> tags(ClassAd jdl, String attr) {
        Optional<Expr> found = jdl.get(attr);
        if (found.isEmpty()) {
            return List.of();
        }
        String name = jdl.spelling(attr).orElse(attr);
        Expr expr = found.get();
        if (expr instanceof Expr.Literal l && l.value() instanceof Value.Str s) {
            try {
                expr = Jdl.parseExpression(s.value());
            } catch (JdlSyntaxException e) {
                String where = (e.line() > 1 ? "line " + e.line() + ", " : "") + "column " + e.column();
                throw Rejection.malformed(name + " holds no valid expression (at " + where + " of its string): "
                        + e.problem() + "\n" + e.snippet());
            }
        }
        List<String> refs = new ArrayList<>();
        Deque<Expr> conjuncts = new ArrayDeque<>();
        conjuncts.push(expr);
        while (!conjuncts.isEmpty()) {
            Expr e = conjuncts.pop();
            if (e instanceof Expr.Binary b && b.op() == Operator.AND) {
                conjuncts.push(b.right());
                conjuncts.push(b.left());
            } else {
                tagOf(e).ifPresent(ref -> refs.add(imageRef(ref, name)));
            }
        }
        if (countTagLiterals(expr) > refs.size()) {
            throw Rejection.malformed(name + " mentions a " + TAG_PREFIX + " tag it does not require; write it as "
                    + "Member(\"" + TAG_PREFIX + "<image>\", other." + RUNTIME_ENVIRONMENT
                    + ") joined to the rest with && (not under ||, ! or ?:)");
        }
        return refs;
    }

    private static Optional<String> tagOf(Expr e) {
        if (e instanceof Expr.Call c && c.name().equalsIgnoreCase("member") && c.args().size() == 2
                && c.args().get(0) instanceof Expr.Literal l && l.value() instanceof Value.Str s && isTag(s.value())
                && c.args().get(1) instanceof Expr.AttributeRef r && r.scope() != Expr.Scope.SELF
                && r.name().equalsIgnoreCase(RUNTIME_ENVIRONMENT)) {
            return Optional.of(s.value().substring(TAG_PREFIX.length()));
        }
        return Optional.empty();
    }

    private static boolean isTag(String s) {
        return ImageTag.isTag(s);
    }

    private static int countTagLiterals(Expr root) {
        int count = 0;
        Deque<Expr> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Expr e = todo.pop();
            if (e instanceof Expr.Literal l) {
                count += l.value() instanceof Value.Str s && isTag(s.value()) ? 1 : 0;
            } else if (e instanceof Expr.Binary b) {
                todo.push(b.left());
                todo.push(b.right());
            } else if (e instanceof Expr.Unary u) {
                todo.push(u.operand());
            } else if (e instanceof Expr.Conditional c) {
                todo.push(c.condition());
                todo.push(c.then());
                todo.push(c.otherwise());
            } else if (e instanceof Expr.Call c) {
                c.args().forEach(todo::push);
            } else if (e instanceof Expr.ListExpr l) {
                l.items().forEach(todo::push);
            } else if (e instanceof Expr.RecordExpr r) {
                r.ad().attributes().forEach(a -> todo.push(a.expr()));
            } else if (e instanceof Expr.Select s) {
                todo.push(s.base());
            } else if (e instanceof Expr.Subscript s) {
                todo.push(s.base());
                todo.push(s.index());
            }
        }
        return count;
    }

    /** An image UUID (lower-cased) or a site alias; anything else is refused as malformed. */
    static String imageRef(String raw, String source) {
        if (VmAsk.isImageRef(raw)) {
            return VmAsk.canonicalImageRef(raw);
        }
        throw Rejection.malformed(source + " names the image \"" + printable(raw) + "\", which is neither an image "
                + "UUID nor a site alias (lower-case letters, digits, '.', '_', '-', at most 63); use the image's "
                + "dc:identifier from the site's image list");
    }

    private static String article(Value v) {
        String t = v.typeName();
        return (t.matches("[aeiou].*") ? "an " : "a ") + t;
    }

    public static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return s.length() > 64 ? b + "..." : b.toString();
    }
}
