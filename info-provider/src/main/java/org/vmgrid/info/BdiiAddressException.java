package org.vmgrid.info;

/** The BDII address a consumer gave is not {@code ldap://HOST:PORT}. */
public class BdiiAddressException extends InfoException {

    private static final long serialVersionUID = 1L;

    public BdiiAddressException(String message) {
        super(message);
    }
}
