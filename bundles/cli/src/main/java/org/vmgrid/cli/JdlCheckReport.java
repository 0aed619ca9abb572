package org.vmgrid.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.vmgrid.api.Admission;
import org.vmgrid.api.Lrms;
import org.vmgrid.api.VmRequest;

/** How {@code vmgrid jdl check} prints an admission: lines for people, one JSON object for scripts. */
final class JdlCheckReport {

    private JdlCheckReport() {
    }

    static void text(Admission a, Lrms lrms, Path file, PrintWriter out) {
        if (a.vm().isEmpty()) {
            out.println(file + ": " + a.verdict().word() + (a.reason().isEmpty() ? ": plain job (no VM requested)"
                    : ": " + a.reason()));
            return;
        }
        VmRequest vm = a.vm().get();
        out.println(file + ": accepted: VM job");
        out.println("  image    " + vm.image().uuid() + " \"" + org.vmgrid.config.ConfigException.printable(vm.image().title())
                + "\" version " + org.vmgrid.config.ConfigException.printable(vm.image().version()));
        out.println("  sha512   " + vm.image().sha512());
        out.println("  from     " + vm.image().uri() + " (" + vm.image().size() + " bytes)");
        out.println("  vm       " + JdlCheckCommand.describe(vm) + ", user data "
                + vm.userData().getBytes(StandardCharsets.UTF_8).length + " bytes");
        out.println("  " + lrms.keyword() + " directives:");
        for (String line : a.directives()) {
            out.println("    " + line);
        }
    }

    static String json(Admission a, Lrms lrms) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"verdict\":").append(quote(a.verdict().word()));
        b.append(",\"reason\":").append(quote(a.reason()));
        b.append(",\"lrms\":").append(quote(lrms.keyword()));
        b.append(",\"vm\":");
        if (a.vm().isEmpty()) {
            b.append("null");
        } else {
            VmRequest vm = a.vm().get();
            b.append("{\"image\":").append(quote(vm.image().uuid()))
                    .append(",\"sha512\":").append(quote(vm.image().sha512()))
                    .append(",\"size\":").append(vm.image().size())
                    .append(",\"uri\":").append(quote(vm.image().uri().toString()))
                    .append(",\"memory\":").append(vm.memoryMiB())
                    .append(",\"cpus\":").append(vm.cpus())
                    .append(",\"network\":").append(quote(vm.network().keyword()))
                    .append(",\"userDataBytes\":").append(vm.userData().getBytes(StandardCharsets.UTF_8).length)
                    .append('}');
        }
        b.append(",\"directives\":[");
        for (int i = 0; i < a.directives().size(); i++) {
            b.append(i > 0 ? "," : "").append(quote(a.directives().get(i)));
        }
        return b.append("]}").toString();
    }

    /** A JSON string: quotes, backslashes, control characters and line separators escaped. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
