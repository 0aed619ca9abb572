package org.vmgrid.appliance.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.vmgrid.appliance.ApplianceBuildException;

/**
 * The kernel modules an appliance needs, resolved with the kernel's {@code modules.dep} (as
 * {@code depmod} writes it) into the order {@code insmod} must load them: every module after the
 * modules it depends on.
 */
final class KernelModules {

    private final Map<String, String> pathByName = new TreeMap<>();
    private final Map<String, List<String>> depsByPath = new TreeMap<>();
    private final Set<String> builtin = new LinkedHashSet<>();

    /**
     * @param modulesDep the text of {@code modules.dep}: {@code path: dep-path dep-path ...} per line
     * @param modulesBuiltin the text of {@code modules.builtin}: one path per line
     */
    KernelModules(String modulesDep, String modulesBuiltin) {
        for (String line : modulesDep.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String path = line.substring(0, colon).trim();
            String rest = line.substring(colon + 1).trim();
            depsByPath.put(path, rest.isEmpty() ? List.of() : List.of(rest.split("\\s+")));
            pathByName.put(nameOf(path), path);
        }
        for (String line : modulesBuiltin.split("\n")) {
            if (!line.isBlank()) {
                builtin.add(nameOf(line.trim()));
            }
        }
    }

    /** A module's name from its path: {@code kernel/fs/9p/9p.ko} is {@code 9p}; - and _ are one. */
    static String nameOf(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        int dot = file.indexOf(".ko");
        return (dot < 0 ? file : file.substring(0, dot)).replace('-', '_');
    }

    /**
     * The paths (relative to {@code /lib/modules/<release>}) of the wanted modules and all they
     * depend on, dependencies first. Modules built into the kernel are left out.
     *
     * @throws ApplianceBuildException when a wanted module is neither a module nor built in
     */
    List<String> loadOrder(List<String> wanted) {
        List<String> order = new ArrayList<>();
        for (String w : wanted) {
            String name = w.replace('-', '_');
            String path = pathByName.get(name);
            if (path == null) {
                if (builtin.contains(name)) {
                    continue;
                }
                throw new ApplianceBuildException("kernel module " + w + " is neither in modules.dep nor built in; "
                        + "the kernel package does not support guest contract v1 (a -cloud kernel lacks 9p)");
            }
            visit(path, order, new LinkedHashSet<>());
        }
        return order;
    }

    private void visit(String path, List<String> order, Set<String> onStack) {
        if (order.contains(path)) {
            return;
        }
        if (!onStack.add(path)) {
            throw new ApplianceBuildException("modules.dep has a dependency cycle through " + path);
        }
        for (String dep : depsByPath.getOrDefault(path, List.of())) {
            if (!depsByPath.containsKey(dep)) {
                throw new ApplianceBuildException("modules.dep names " + dep + " (needed by " + path
                        + ") but has no line for it");
            }
            visit(dep, order, onStack);
        }
        onStack.remove(path);
        order.add(path);
    }
}
