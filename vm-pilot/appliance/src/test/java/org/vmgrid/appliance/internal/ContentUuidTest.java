package org.vmgrid.appliance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ContentUuidTest {

    private static final UUID NAMESPACE_URL = UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    @Test
    void matchesTheRfc4122Version5OfOtherImplementations() {
        // Python: uuid.uuid5(uuid.NAMESPACE_URL, 'http://python.org/')
        assertEquals(UUID.fromString("4c565f0d-3f5a-5890-b41b-20cf47701c5e"),
                ContentUuid.nameBased(NAMESPACE_URL, "http://python.org/"));
    }

    @Test
    void derivesTheImageIdentifierFromTheSha512() {
        UUID u = ContentUuid.ofSha512("ab".repeat(64));
        // Python: uuid.uuid5(uuid.NAMESPACE_URL, 'vmgrid:appliance:sha512:' + 'ab' * 64)
        assertEquals(UUID.fromString("b85e63b9-923a-528b-a180-33e35043aa63"), u);
        assertEquals(5, u.version());
        assertEquals(2, u.variant());
        assertNotEquals(u, ContentUuid.ofSha512("ab".repeat(63) + "ac"));
    }

    @Test
    void refusesWhatIsNotALowerCaseSha512() {
        assertThrows(IllegalArgumentException.class, () -> ContentUuid.ofSha512("AB".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> ContentUuid.ofSha512("ab".repeat(32)));
    }
}
