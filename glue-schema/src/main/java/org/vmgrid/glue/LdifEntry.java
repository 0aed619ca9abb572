package org.vmgrid.glue;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One LDAP entry to publish: its DN and its attribute values in output order. Empty values are
 * dropped when the entry is built (LDAP directory strings cannot be empty).
 *
 * @param dn the entry's DN
 * @param attributes name and value pairs, in the order they are written
 */
public record LdifEntry(Dn dn, List<Attribute> attributes) {

    /** One attribute value. */
    public record Attribute(String name, String value) {

        private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");

        public Attribute {
            Objects.requireNonNull(value, "value");
            if (name == null || !NAME.matcher(name).matches()) {
                throw new GlueEncodingException("'" + name + "' is not an LDAP attribute name");
            }
        }
    }

    public LdifEntry {
        Objects.requireNonNull(dn, "dn");
        attributes = List.copyOf(attributes);
    }

    /** The values of one attribute, compared case-insensitively as LDAP does. */
    public List<String> values(String name) {
        return attributes.stream().filter(a -> a.name().equalsIgnoreCase(name)).map(Attribute::value).toList();
    }

    public static Builder builder(Dn dn) {
        return new Builder(dn);
    }

    /** Collects an entry's values in order. */
    public static final class Builder {
        private final Dn dn;
        private final List<Attribute> attributes = new ArrayList<>();

        private Builder(Dn dn) {
            this.dn = dn;
        }

        /** Adds each non-empty value. */
        public Builder add(String name, String... values) {
            for (String v : values) {
                if (v != null && !v.isEmpty()) {
                    attributes.add(new Attribute(name, v));
                }
            }
            return this;
        }

        public Builder add(String name, List<String> values) {
            return add(name, values.toArray(String[]::new));
        }

        public Builder add(String name, long value) {
            return add(name, Long.toString(value));
        }

        public LdifEntry build() {
            return new LdifEntry(dn, attributes);
        }
    }
}
