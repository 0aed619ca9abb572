/*
 * vmgrid-hook-client SOCKET LRMS FILE
 *
 * The BLAH hooks' only helper: sends "vmgrid-blah-hook 1 <LRMS>\n" and the bytes of FILE (the
 * submit-attributes script BLAH runs, i.e. the request file) to the vmgrid hook service on the
 * unix socket SOCKET, and copies the service's answer to standard output. Nothing is interpreted
 * here: the service reads the request, the hook checks every answer line before printing it.
 *
 * Statically linked and ignoring its environment, so that nothing a request file sets (PATH,
 * LD_PRELOAD, ...) changes what it does; one process instead of env + socat keeps a VM job's hook
 * cheap. The whole exchange is bounded by an alarm. Exit status: 0 answered, 2 usage, 3 FILE
 * unreadable or too large, 4 no service on SOCKET, 5 the exchange failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_REQUEST (256 * 1024)
#define MAX_ANSWER (64 * 1024)
#define TIMEOUT_SECONDS 20

static char request[MAX_REQUEST];

static int write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Whether the answer has a "print " line (the directives of an answer the service gave in full). */
static int has_print_line(const char *a, size_t n)
{
    for (size_t i = 0; i + 6 <= n; i++) {
        if ((i == 0 || a[i - 1] == '\n') && memcmp(a + i, "print ", 6) == 0) return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4 || argv[1][0] != '/' || strlen(argv[1]) >= sizeof(((struct sockaddr_un *)0)->sun_path)
            || strlen(argv[2]) == 0 || strlen(argv[2]) > 16) {
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    alarm(TIMEOUT_SECONDS); /* SIGALRM's default action ends the process: the hook then refuses */

    size_t len = (size_t)snprintf(request, 64, "vmgrid-blah-hook 1 %s\n", argv[2]);
    int in = open(argv[3], O_RDONLY | O_CLOEXEC);
    if (in < 0) return 3;
    for (;;) {
        ssize_t r = read(in, request + len, sizeof(request) - len);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return 3;
        if (r == 0) break;
        len += (size_t)r;
        if (len == sizeof(request)) return 3;
    }
    close(in);

    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) return 4;
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    strcpy(addr.sun_path, argv[1]);
    if (connect(s, (struct sockaddr *)&addr, sizeof(addr)) != 0) return 4;
    /* a service that refuses at once (busy) answers without reading the request and closes: the
       write may fail, or the read end in a reset after its answer; that answer is still read */
    int sent = write_all(s, request, len) == 0 && shutdown(s, SHUT_WR) == 0;

    static char answer[MAX_ANSWER];
    size_t got = 0;
    int reset = 0;
    for (;;) {
        ssize_t r = read(s, answer + got, sizeof(answer) - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && (errno == ECONNRESET || errno == EPIPE) && got > 0) {
            reset = 1;
            break;
        }
        if (r < 0) return 5;
        if (r == 0) break;
        got += (size_t)r;
        if (got == sizeof(answer)) return 5;
    }
    close(s);
    if ((!sent || reset) && has_print_line(answer, got)) return 5; /* only a refusal ends so: never half an answer */
    if (!sent && got == 0) return 5;
    return write_all(1, answer, got) == 0 ? 0 : 5;
}
