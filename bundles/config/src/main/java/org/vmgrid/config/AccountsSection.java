package org.vmgrid.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code accounts.properties}: the site's grid pool accounts, as its worker nodes know them. The
 * accounts a VO's grid users are mapped to share a unix group, and {@code group.<unix group> = <VO>}
 * says whose they are. A worker node takes a VM job's VO from the groups of the user it runs as (the
 * kernel tells the pilot service who connected), never from anything the job wrote, and holds the
 * job to the VO policy again. Without the file no local account is any VO's.
 *
 * @param voByGroup unix group name to the VO whose pool accounts share it, in the file's key order
 */
public record AccountsSection(Map<String, String> voByGroup) {

    /** Unix group names as groupadd takes them by default. */
    public static final Pattern GROUP = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

    public AccountsSection {
        voByGroup = Collections.unmodifiableMap(new LinkedHashMap<>(voByGroup));
    }

    /** No pool accounts: every local account is nobody's grid account. */
    public static AccountsSection none() {
        return new AccountsSection(Map.of());
    }

    static AccountsSection from(ConfigFile f) {
        Map<String, String> byGroup = new LinkedHashMap<>();
        for (String key : f.keysWithPrefix("group.")) {
            String group = key.substring("group.".length());
            if (!GROUP.matcher(group).matches()) {
                throw f.bad(key, f.raw(key), "keys of the form group.<unix group>, the group's name being lower-case "
                        + "letters, digits, '_' and '-' (at most 32, not starting with a digit or '-')");
            }
            String vo = f.raw(key).trim();
            if (!PolicySection.VO.matcher(vo).matches()) {
                throw f.bad(key, vo, "the name of the VO whose pool accounts share group " + group + " (letters, digits, "
                        + "'.', '_' and '-')");
            }
            byGroup.put(group, vo);
        }
        f.rejectUnknownKeys();
        return new AccountsSection(byGroup);
    }
}
