package org.vmgrid.pilot.internal.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves forward by a fixed step each time it is read: timeouts pass without waiting. */
final class SteppingClock extends Clock {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Duration step;

    SteppingClock(Duration step) {
        this.step = step;
    }

    @Override
    public synchronized Instant instant() {
        now = now.plus(step);
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
