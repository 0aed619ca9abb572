package org.vmgrid.jdl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable ClassAd (a JDL record): attributes in the order written, names looked up
 * case-insensitively. Two ads are equal when they hold the same names (as spelt) and expressions in
 * the same order.
 */
public final class ClassAd {

    /** One attribute: its name as spelt and its expression. */
    public record Attribute(String name, Expr expr) {
        public Attribute {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(expr, "expr");
        }
    }

    private static final ClassAd EMPTY = new ClassAd(List.of());

    private final List<Attribute> attributes;
    private final Map<String, Attribute> byLowerName;

    private ClassAd(List<Attribute> attributes) {
        this.attributes = attributes;
        Map<String, Attribute> index = new HashMap<>(attributes.size() * 2);
        for (Attribute a : attributes) {
            if (index.putIfAbsent(key(a.name()), a) != null) {
                throw new IllegalArgumentException("attribute " + a.name() + " is defined twice");
            }
        }
        this.byLowerName = index;
    }

    /** An ad of these attributes; names must be distinct ignoring case. */
    public static ClassAd of(List<Attribute> attributes) {
        return attributes.isEmpty() ? EMPTY : new ClassAd(Collections.unmodifiableList(new ArrayList<>(attributes)));
    }

    public static ClassAd empty() {
        return EMPTY;
    }

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The attributes in the order written. */
    public List<Attribute> attributes() {
        return attributes;
    }

    /** The expression of an attribute, looked up ignoring case. */
    public Optional<Expr> get(String name) {
        Attribute a = byLowerName.get(key(name));
        return a == null ? Optional.empty() : Optional.of(a.expr());
    }

    /** The attribute's name as spelt in the ad, looked up ignoring case. */
    public Optional<String> spelling(String name) {
        Attribute a = byLowerName.get(key(name));
        return a == null ? Optional.empty() : Optional.of(a.name());
    }

    public int size() {
        return attributes.size();
    }

    /** A copy with one attribute replaced (kept in place) or appended. */
    public ClassAd with(String name, Expr expr) {
        List<Attribute> copy = new ArrayList<>(attributes);
        Attribute a = new Attribute(name, expr);
        int at = -1;
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i).name().equalsIgnoreCase(name)) {
                at = i;
            }
        }
        if (at >= 0) {
            copy.set(at, new Attribute(copy.get(at).name(), expr));
        } else {
            copy.add(a);
        }
        return of(copy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassAd other && attributes.equals(other.attributes);
    }

    @Override
    public int hashCode() {
        return attributes.hashCode();
    }

    @Override
    public String toString() {
        return Jdl.print(this);
    }
}
