package org.vmgrid.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Map;
import org.vmgrid.api.GuestAgent;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.ImageResolution;
import org.vmgrid.imagelist.CatalogSources;
import org.vmgrid.imagelist.ImageStatus;
import org.vmgrid.imagelist.ListStatus;
import org.vmgrid.imagelist.TrustedCatalog;

/** Prints {@code vmgrid image list}: as text for a site admin, or as one JSON object for scripts. */
final class ImageListPrinter {

    private final PrintWriter out;

    ImageListPrinter(PrintWriter out) {
        this.out = out;
    }

    void text(CatalogSources sources, TrustedCatalog catalog) {
        out.println("trust anchors: " + sources.trustAnchors().map(Object::toString).orElse("(none)")
                + "; unsigned lists: " + (sources.trustUnsigned() ? "trusted" : "not trusted"));
        if (catalog.lists().isEmpty()) {
            out.println("no image lists configured (images.properties catalogs, or --catalog LIST)");
        }
        for (ListStatus l : catalog.lists()) {
            out.println("list " + l.path() + ": " + (l.usable() ? "usable" : "NOT USABLE: " + l.reason()));
            if (l.identifier().isPresent()) {
                String signature = l.signer().map(s -> "signed by " + s)
                        .orElse(l.signed() ? "signed, signature not trusted" : "unsigned");
                out.println("  " + signature + ", " + l.imageCount()
                        + " image(s)" + l.expires().map(e -> ", expires " + e).orElse("") + ", list "
                        + l.identifier().get());
            }
            for (ImageStatus i : l.images()) {
                String aliases = i.image().map(ImageDescriptor::aliases).filter(a -> !a.isEmpty())
                        .map(a -> " [alias " + String.join(", ", a) + "]").orElse("");
                String agent = i.usable() && cloudInit(catalog, i.identifier()) ? " [cloud-init: the pilot delivers its guest agent]" : "";
                out.println("  " + (i.usable() ? "usable   " : "unusable ") + i.identifier() + "  " + i.title()
                        + i.image().map(d -> d.version().isEmpty() ? "" : " v" + d.version()).orElse("") + aliases
                        + agent);
                if (!i.usable()) {
                    out.println("           " + i.reason());
                }
            }
        }
        for (Map.Entry<String, String> a : catalog.aliases().entrySet()) {
            ImageResolution r = catalog.resolve(a.getKey());
            out.println("alias " + a.getKey() + " -> " + a.getValue() + ": " + (r.isUsable() ? "usable" : r.reason()));
        }
        out.println(catalog.usableImages().size() + " usable image(s)");
    }

    void json(CatalogSources sources, TrustedCatalog catalog) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("trustAnchors", sources.trustAnchors().map(Object::toString).orElse(null));
        root.put("trustUnsigned", sources.trustUnsigned());
        ArrayNode lists = root.putArray("lists");
        for (ListStatus l : catalog.lists()) {
            ObjectNode n = lists.addObject();
            n.put("path", l.path().toString());
            n.put("usable", l.usable());
            n.put("reason", l.reason());
            n.put("identifier", l.identifier().orElse(null));
            n.put("signed", l.signed());
            n.put("signer", l.signer().orElse(null));
            n.put("expires", l.expires().map(Object::toString).orElse(null));
            n.put("imageCount", l.imageCount());
            ArrayNode images = n.putArray("images");
            for (ImageStatus i : l.images()) {
                ObjectNode image = image(mapper, i);
                if (i.usable()) {
                    image.put("guestAgent", cloudInit(catalog, i.identifier()) ? GuestAgent.CLOUD_INIT.keyword()
                            : GuestAgent.IMAGE.keyword());
                }
                images.add(image);
            }
        }
        ObjectNode aliases = root.putObject("aliases");
        for (Map.Entry<String, String> a : catalog.aliases().entrySet()) {
            ImageResolution r = catalog.resolve(a.getKey());
            aliases.putObject(a.getKey()).put("image", a.getValue()).put("usable", r.isUsable()).put("reason", r.reason());
        }
        ArrayNode usable = root.putArray("usableImages");
        catalog.usableImages().forEach(d -> usable.add(d.uuid()));
        try {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print the image lists as JSON", e);
        }
    }

    /** Whether the site runs the image as a stock cloud-init image (its list's word, or images.properties'). */
    private static boolean cloudInit(TrustedCatalog catalog, String uuid) {
        return catalog.resolve(uuid).image().map(d -> d.guestAgent() == GuestAgent.CLOUD_INIT).orElse(false);
    }

    private static ObjectNode image(ObjectMapper mapper, ImageStatus i) {
        ObjectNode n = mapper.createObjectNode();
        n.put("identifier", i.identifier());
        n.put("title", i.title());
        n.put("usable", i.usable());
        n.put("reason", i.reason());
        i.image().ifPresent(d -> {
            n.put("version", d.version());
            n.put("sha512", d.sha512());
            n.put("size", d.size());
            n.put("uri", d.uri().toString());
            ArrayNode a = n.putArray("aliases");
            d.aliases().forEach(a::add);
        });
        return n;
    }
}
