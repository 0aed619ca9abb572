package org.vmgrid.imagelist;

import org.vmgrid.api.VmgridException;

/**
 * An image list that cannot be used: unreadable, malformed, badly signed or untrusted. The
 * {@link CatalogLoader} turns it into the list's reason; it never escapes a load.
 */
public class ImageListException extends VmgridException {

    private static final long serialVersionUID = 1L;

    public ImageListException(String message) {
        super(message);
    }

    public ImageListException(String message, Throwable cause) {
        super(message, cause);
    }
}
