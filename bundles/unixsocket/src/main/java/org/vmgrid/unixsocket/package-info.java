/**
 * The unix socket of vmgrid's local services (the worker node's pilot service, the CE's BLAH hook
 * service): binding a socket path without taking over a live one, knowing each client by the
 * kernel's peer credentials ({@link org.vmgrid.unixsocket.PeerCredentials}), connection limits in all
 * and per user so that no user can keep the others out, deadlines on what a client owes, and a
 * bounded {@link org.vmgrid.unixsocket.Outbox} so that a client that never reads holds up nothing
 * but its own connection. What is said on a connection, and who may say it, is the service's own.
 */
@Version("0.1.0")
@Export
package org.vmgrid.unixsocket;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
