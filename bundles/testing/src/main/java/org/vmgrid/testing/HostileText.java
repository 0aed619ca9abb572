package org.vmgrid.testing;

import java.util.List;

/**
 * Values a hostile grid user writes where a name, a number or a word is expected: shell and
 * batch-directive injection, markup (XML, LDIF) breakers, control, format and look-alike
 * characters, path traversal, and sheer size. Every encoder of user text is tested against all of
 * them.
 */
public final class HostileText {

    public static final List<String> VALUES = List.of(
            "debian-test\n#SBATCH --uid=0", "debian-test\r\n#PBS -l nodes=100", "debian-test\"; rm -rf / ; \"",
            "debian-test'", "$(reboot)", "${IFS}", "`id`", "debian-test;id", "debian-test && id", "debian-test|id",
            "debian-test\u0000", "d\u00e9bian-test", "debian-test\u2028", "debian\u200btest", "DEBIAN-TEST",
            "../../etc/passwd", "debian-test\\", "x".repeat(100_000), "\u202etset-naibed", "debian-test#", "debian test",
            "</name><devices><disk type='file'><source file='/etc/shadow'/></disk></devices><name>",
            "]]><!--", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>&e;", "&amp;&lt;&#0;",
            "x\ndn: o=grid\nobjectClass: top", "x\r\nchangetype: delete", ": base64", "< file:///etc/passwd",
            " leading", "trailing ", "#comment", "\u0085next-line", "\ud800", "\uffff", "%s%n%x", "\u001b[2J",
            "-rf", "--uid=0", "*", "?", "~root", "/dev/sda", "a=b", "a,b", "(a)", "${HOME}", "\t", "");

    private HostileText() {
    }
}
