package org.vmgrid.info;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.vmgrid.decision.ImageTag;

/**
 * Finds VM-capable CEs and their images in a BDII, through GLUE 2.0: ComputingServices with the
 * capability {@code executionmanagement.dynamicvmdeploy}, and the ApplicationEnvironments named
 * {@code VM-IMAGE-*} of their managers. Every filter is built from typed values by the LDAP
 * library, which escapes them (RFC 4515): a hostile image or VO name is only ever a value.
 */
public final class BdiiFinder {

    private static final String OTHER = "GLUE2EntityOtherInfo";

    private final int timeoutMillis;

    public BdiiFinder(int timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** The filter for VM-capable CEs (also what docs/information-system.md tells consumers). */
    public static Filter vmServices() {
        return Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "GLUE2ComputingService"),
                Filter.createEqualityFilter("GLUE2ServiceCapability", "executionmanagement.dynamicvmdeploy"));
    }

    /**
     * The filter for the computing managers of these services only: a top-level BDII holds every
     * site's managers, most of them not VM-capable.
     */
    public static Filter managersOf(java.util.Collection<String> serviceIds) {
        List<Filter> or = new ArrayList<>();
        for (String id : new java.util.TreeSet<>(serviceIds)) {
            or.add(Filter.createEqualityFilter("GLUE2ManagerServiceForeignKey", id));
        }
        return Filter.createANDFilter(Filter.createEqualityFilter("objectClass", "GLUE2ComputingManager"), Filter.createORFilter(or));
    }

    /** The filter for published images, optionally one image (UUID or alias) and one VO. */
    public static Filter images(Optional<String> image, Optional<String> vo) {
        List<Filter> and = new ArrayList<>();
        and.add(Filter.createEqualityFilter("objectClass", "GLUE2ApplicationEnvironment"));
        and.add(Filter.createSubInitialFilter("GLUE2ApplicationEnvironmentAppName", ImageTag.PREFIX));
        image.ifPresent(i -> and.add(Filter.createORFilter(Filter.createEqualityFilter(OTHER, "ImageUUID=" + i),
                Filter.createEqualityFilter(OTHER, "ImageAlias=" + i))));
        vo.ifPresent(v -> and.add(Filter.createORFilter(Filter.createEqualityFilter(OTHER, "VO=" + v),
                Filter.createNOTFilter(Filter.createSubInitialFilter(OTHER, "VO=")))));
        return Filter.createANDFilter(and);
    }

    /**
     * Asks the BDII. With an image or VO, only CEs offering a matching image are listed; without,
     * every VM-capable CE with all its images.
     *
     * @param bdii {@code ldap://host:port}
     */
    public List<FoundCe> find(String bdii, Optional<String> image, Optional<String> vo) {
        URI uri = parse(bdii);
        Optional<String> img = image.map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty());
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(timeoutMillis);
        options.setResponseTimeoutMillis(timeoutMillis);
        try (LDAPConnection c = new LDAPConnection(options, uri.getHost(), uri.getPort() < 0 ? 2170 : uri.getPort())) {
            Map<String, FoundCe> services = new TreeMap<>();
            for (SearchResultEntry e : c.search("o=glue", SearchScope.SUB, vmServices(), "GLUE2ServiceID", OTHER,
                    "GLUE2ServiceAdminDomainForeignKey").getSearchEntries()) {
                String id = e.getAttributeValue("GLUE2ServiceID");
                String ce = other(e, "CEID").stream().findFirst().orElse(id);
                services.put(id, new FoundCe(ce, id, Optional.ofNullable(e.getAttributeValue("GLUE2ServiceAdminDomainForeignKey")).orElse(""), List.of()));
            }
            if (services.isEmpty()) {
                return List.of();
            }
            Map<String, String> serviceByManager = new HashMap<>();
            for (SearchResultEntry e : c.search("o=glue", SearchScope.SUB, managersOf(services.keySet()), "GLUE2ManagerID",
                    "GLUE2ManagerServiceForeignKey").getSearchEntries()) {
                serviceByManager.put(e.getAttributeValue("GLUE2ManagerID"), e.getAttributeValue("GLUE2ManagerServiceForeignKey"));
            }
            Map<String, List<FoundImage>> imagesByService = new HashMap<>();
            for (SearchResultEntry e : c.search("o=glue", SearchScope.SUB, images(img, vo), OTHER,
                    "GLUE2ApplicationEnvironmentComputingManagerForeignKey", "GLUE2ApplicationEnvironmentAppVersion",
                    "GLUE2ApplicationEnvironmentDescription").getSearchEntries()) {
                String service = serviceByManager.get(e.getAttributeValue("GLUE2ApplicationEnvironmentComputingManagerForeignKey"));
                Optional<String> uuid = other(e, "ImageUUID").stream().findFirst();
                if (service == null || uuid.isEmpty()) {
                    continue;
                }
                imagesByService.computeIfAbsent(service, k -> new ArrayList<>()).add(new FoundImage(uuid.get(),
                        other(e, "ImageAlias"), other(e, "VO"), value(e, "GLUE2ApplicationEnvironmentAppVersion"),
                        value(e, "GLUE2ApplicationEnvironmentDescription")));
            }
            boolean filtered = img.isPresent() || vo.isPresent();
            List<FoundCe> out = new ArrayList<>();
            for (FoundCe s : services.values()) {
                List<FoundImage> found = new ArrayList<>(imagesByService.getOrDefault(s.service(), List.of()));
                found.sort(Comparator.comparing(FoundImage::uuid));
                if (!filtered || !found.isEmpty()) {
                    out.add(new FoundCe(s.ce(), s.service(), s.site(), found));
                }
            }
            out.sort(Comparator.comparing(FoundCe::ce));
            return out;
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return List.of(); // the BDII holds no GLUE 2.0 tree (yet): nothing published
            }
            throw new InfoException("cannot query the BDII at " + bdii + ": " + e.getMessage()
                    + "; check the address and that the BDII is running", e);
        }
    }

    private static String value(SearchResultEntry e, String attribute) {
        String v = e.getAttributeValue(attribute);
        return v == null ? "" : v;
    }

    /** The values of the {@code Key=Value} OtherInfo entries with this key. */
    private static List<String> other(SearchResultEntry e, String key) {
        String[] all = e.getAttributeValues(OTHER);
        List<String> out = new ArrayList<>();
        if (all != null) {
            for (String v : all) {
                if (v.startsWith(key + "=")) {
                    out.add(v.substring(key.length() + 1));
                }
            }
        }
        out.sort(null);
        return out;
    }

    static URI parse(String bdii) {
        try {
            URI u = new URI(bdii);
            if (!"ldap".equals(u.getScheme()) || u.getHost() == null || (u.getPath() != null && !u.getPath().isEmpty()
                    && !u.getPath().equals("/")) || u.getQuery() != null || u.getUserInfo() != null) {
                throw new BdiiAddressException("'" + bdii + "' is not a BDII address; write ldap://HOST:PORT (e.g. ldap://bdii.example.org:2170)");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new BdiiAddressException("'" + bdii + "' is not a BDII address (" + e.getReason()
                    + "); write ldap://HOST:PORT (e.g. ldap://bdii.example.org:2170)");
        }
    }
}
