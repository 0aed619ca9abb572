/*
 * vmgrid_wire.h: the pilot service's wire format, version 1 (the Java side is
 * org.vmgrid.pilot.internal.service.Frames), and a client of it: what `vmgrid pilot run --service`
 * does, in C, so that a batch job starts without a JVM. Every frame is a type byte, a 4-byte
 * big-endian length (at most 1 MiB) and that many bytes. The client sends one request ('Q') and
 * then nothing (its end of the stream cancels the job); the service sends stdout ('O') and stderr
 * ('E') chunks, then one exit ('X') or failure ('F'), and closes.
 *
 * Decoding trusts nothing and is exactly as strict as the Java decoder: sizes, counts, exit codes,
 * failure kinds and UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF) are checked,
 * and a frame must be used up exactly. Header only (static functions): each user is one
 * translation unit, so the plugin still builds from its one source file.
 */
#ifndef VMGRID_WIRE_H
#define VMGRID_WIRE_H

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define VMGRID_WIRE_VERSION 1
#define VMGRID_MAX_FRAME (1 << 20)
#define VMGRID_MAX_ITEMS 4096
#define VMGRID_FRAME_REQUEST 'Q'
#define VMGRID_FRAME_STDOUT 'O'
#define VMGRID_FRAME_STDERR 'E'
#define VMGRID_FRAME_EXIT 'X'
#define VMGRID_FRAME_FAILURE 'F'

/* The failure kinds, in the order of org.vmgrid.pilot.FailureKind, and the exit code of each
   (`vmgrid pilot run`: 75 image, 76 boot, 77 timeout, 143 cancelled, 64 refused, 79 host, 80 limit). */
static const char *const vmgrid_kinds[] = {"IMAGE", "BOOT", "TIMEOUT", "CANCELLED", "REFUSED", "HOST", "LIMIT"};
static const int vmgrid_kind_exit[] = {75, 76, 77, 143, 64, 79, 80};
#define VMGRID_KINDS 7
#define VMGRID_EXIT_USAGE 64
#define VMGRID_EXIT_HOST 79
#define VMGRID_EXIT_CANCELLED 143

/* ---- UTF-8, as Java's decoder with CodingErrorAction.REPORT ---- */

static int vmgrid_utf8_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) { i++; continue; }
        size_t more;
        unsigned char lo = 0x80, hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) more = 1;
        else if (c == 0xe0) { more = 2; lo = 0xa0; }
        else if (c >= 0xe1 && c <= 0xec) more = 2;
        else if (c == 0xed) { more = 2; hi = 0x9f; } /* no surrogates */
        else if (c >= 0xee && c <= 0xef) more = 2;
        else if (c == 0xf0) { more = 3; lo = 0x90; }
        else if (c >= 0xf1 && c <= 0xf3) more = 3;
        else if (c == 0xf4) { more = 3; hi = 0x8f; } /* nothing above U+10FFFF */
        else return 0;
        if (n - i - 1 < more) return 0;
        if (s[i + 1] < lo || s[i + 1] > hi) return 0;
        for (size_t k = 2; k <= more; k++) if (s[i + k] < 0x80 || s[i + k] > 0xbf) return 0;
        i += more + 1;
    }
    return 1;
}

/* ---- encoding a request ---- */

struct vmgrid_buf {
    unsigned char *data;
    size_t len, cap;
    int failed;
};

static void vmgrid_buf_put(struct vmgrid_buf *b, const void *p, size_t n)
{
    if (b->failed) return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n) cap *= 2;
        unsigned char *d = realloc(b->data, cap);
        if (!d) { b->failed = 1; return; }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void vmgrid_buf_u32(struct vmgrid_buf *b, uint32_t v)
{
    unsigned char x[4] = {v >> 24, v >> 16, v >> 8, v};
    vmgrid_buf_put(b, x, 4);
}

static void vmgrid_buf_u64(struct vmgrid_buf *b, uint64_t v)
{
    vmgrid_buf_u32(b, (uint32_t)(v >> 32));
    vmgrid_buf_u32(b, (uint32_t)v);
}

static void vmgrid_buf_string(struct vmgrid_buf *b, const char *s)
{
    size_t n = strlen(s);
    vmgrid_buf_u32(b, (uint32_t)n);
    vmgrid_buf_put(b, s, n);
}

/* What `vmgrid pilot run --service` sends. memory and cpus -1: the site's default; network "": none. */
struct vmgrid_request {
    const char *image, *workdir, *network;
    int32_t memory, cpus;
    int64_t timeout;
    int argc;
    char *const *argv;
    int envc;
    char *const *env_names, *const *env_values;
};

/* The whole request frame (header and body) into out; 0, or -1 with *why (nothing is sent then). */
static int vmgrid_encode_request(const struct vmgrid_request *r, struct vmgrid_buf *out, const char **why)
{
    const char *strings[3] = {r->image, r->workdir, r->network};
    for (int i = 0; i < 3; i++) {
        if (!vmgrid_utf8_ok((const unsigned char *)strings[i], strlen(strings[i]))) {
            *why = "the image, job directory or network is not UTF-8 text";
            return -1;
        }
    }
    if (r->workdir[0] != '/') { *why = "the job directory is not an absolute path"; return -1; }
    if (r->argc < 1 || r->argc > VMGRID_MAX_ITEMS || r->envc < 0 || r->envc > VMGRID_MAX_ITEMS) {
        *why = "a payload needs a command, and at most 4096 arguments and 4096 variables";
        return -1;
    }
    for (int i = 0; i < r->argc; i++) {
        if (!vmgrid_utf8_ok((const unsigned char *)r->argv[i], strlen(r->argv[i]))) {
            *why = "the batch script or one of its arguments is not UTF-8 text";
            return -1;
        }
    }
    for (int i = 0; i < r->envc; i++) {
        if (!vmgrid_utf8_ok((const unsigned char *)r->env_names[i], strlen(r->env_names[i]))
                || !vmgrid_utf8_ok((const unsigned char *)r->env_values[i], strlen(r->env_values[i]))) {
            *why = "an environment variable is not UTF-8 text";
            return -1;
        }
    }
    struct vmgrid_buf body = {0};
    vmgrid_buf_u32(&body, VMGRID_WIRE_VERSION);
    vmgrid_buf_string(&body, r->image);
    vmgrid_buf_string(&body, r->workdir);
    vmgrid_buf_u32(&body, (uint32_t)r->memory);
    vmgrid_buf_u32(&body, (uint32_t)r->cpus);
    vmgrid_buf_string(&body, r->network);
    vmgrid_buf_u64(&body, (uint64_t)r->timeout);
    vmgrid_buf_u32(&body, (uint32_t)r->argc);
    for (int i = 0; i < r->argc; i++) vmgrid_buf_string(&body, r->argv[i]);
    vmgrid_buf_u32(&body, (uint32_t)r->envc);
    for (int i = 0; i < r->envc; i++) {
        vmgrid_buf_string(&body, r->env_names[i]);
        vmgrid_buf_string(&body, r->env_values[i]);
    }
    if (body.failed || body.len > VMGRID_MAX_FRAME) {
        free(body.data);
        *why = body.failed ? "out of memory" : "the request is larger than 1 MiB";
        return -1;
    }
    unsigned char type = VMGRID_FRAME_REQUEST;
    vmgrid_buf_put(out, &type, 1);
    vmgrid_buf_u32(out, (uint32_t)body.len);
    vmgrid_buf_put(out, body.data, body.len);
    free(body.data);
    if (out->failed) { *why = "out of memory"; return -1; }
    return 0;
}

/* ---- decoding the service's ending ---- */

/* A job's ending. job and reason point into the decoded body (not NUL-terminated: use the lengths). */
struct vmgrid_ending {
    int is_exit;
    const unsigned char *job, *reason;
    size_t job_len, reason_len;
    int code; /* the payload's exit code (0-255), or the failure kind's index */
};

struct vmgrid_reader {
    const unsigned char *p;
    size_t left;
};

static int vmgrid_read_u32(struct vmgrid_reader *r, uint32_t *v, const char **why)
{
    if (r->left < 4) { *why = "the frame ends inside a field"; return -1; }
    *v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 | r->p[3];
    r->p += 4;
    r->left -= 4;
    return 0;
}

static int vmgrid_read_string(struct vmgrid_reader *r, const unsigned char **s, size_t *n, const char **why)
{
    uint32_t len;
    if (vmgrid_read_u32(r, &len, why)) return -1;
    if (len > INT32_MAX) { *why = "a string of negative length"; return -1; }
    if (r->left < len) { *why = "the frame ends inside a field"; return -1; }
    if (!vmgrid_utf8_ok(r->p, len)) { *why = "a string that is not UTF-8"; return -1; }
    *s = r->p;
    *n = len;
    r->p += len;
    r->left -= len;
    return 0;
}

/* Decodes the body of an 'X' or 'F' frame: 0, or -1 with *why. */
static int vmgrid_decode_ending(int type, const unsigned char *body, size_t len, struct vmgrid_ending *e,
                                const char **why)
{
    struct vmgrid_reader r = {body, len};
    memset(e, 0, sizeof *e);
    if (type != VMGRID_FRAME_EXIT && type != VMGRID_FRAME_FAILURE) { *why = "not an ending"; return -1; }
    if (vmgrid_read_string(&r, &e->job, &e->job_len, why)) return -1;
    if (type == VMGRID_FRAME_EXIT) {
        uint32_t code;
        if (vmgrid_read_u32(&r, &code, why)) return -1;
        if (code > 255) { *why = "an exit code outside 0-255"; return -1; }
        e->is_exit = 1;
        e->code = (int)code;
    } else {
        const unsigned char *kind;
        size_t kind_len;
        if (vmgrid_read_string(&r, &kind, &kind_len, why)) return -1;
        e->code = -1;
        for (int i = 0; i < VMGRID_KINDS; i++) {
            if (strlen(vmgrid_kinds[i]) == kind_len && memcmp(vmgrid_kinds[i], kind, kind_len) == 0) e->code = i;
        }
        if (e->code < 0) { *why = "an unknown failure kind"; return -1; }
        if (vmgrid_read_string(&r, &e->reason, &e->reason_len, why)) return -1;
    }
    if (r.left != 0) { *why = "bytes after the last field"; return -1; }
    return 0;
}

/* The header of a frame the service sent: 0 with *len, or -1 with *why (too large). */
static int vmgrid_check_head(const unsigned char head[5], uint32_t *len, const char **why)
{
    *len = (uint32_t)head[1] << 24 | (uint32_t)head[2] << 16 | (uint32_t)head[3] << 8 | head[4];
    if (*len > VMGRID_MAX_FRAME) { *why = "a frame larger than 1 MiB"; return -1; }
    return 0;
}

/* ---- the client ---- */

static volatile sig_atomic_t vmgrid_stop_signal;

static void vmgrid_on_stop(int sig)
{
    vmgrid_stop_signal = sig;
}

static void vmgrid_write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return; /* the job's output file is gone: the relay goes on, the output is lost */
        p += w;
        n -= (size_t)w;
    }
}

static void vmgrid_say(const char *fmt, ...)
{
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    vmgrid_write_all(2, (const unsigned char *)line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static long vmgrid_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000;
}

/*
 * Reads exactly n bytes. Once a stop signal came, the job is cancelled (our end of the stream
 * closed) and the service's answer is awaited up to 9 s. Returns 0, 1 at a clean end before the
 * first byte, -1 on an error or a cut (with *why), -2 when the wait after a cancel ran out.
 * The stop signals are blocked by the caller and let in only while waiting (ppoll with
 * waiting_mask), so one that comes after the check of vmgrid_stop_signal ends the wait at once.
 */
static int vmgrid_read_exact(int fd, unsigned char *p, size_t n, int first, int *cancelled, long *deadline,
                             const sigset_t *waiting_mask, const char **why)
{
    size_t got = 0;
    while (got < n) {
        if (vmgrid_stop_signal && !*cancelled) {
            shutdown(fd, SHUT_WR);
            *cancelled = 1;
            *deadline = vmgrid_now_ms() + 9000;
        }
        struct timespec wait, *timeout = NULL;
        if (*cancelled) {
            long left = *deadline - vmgrid_now_ms();
            if (left <= 0) return -2;
            wait.tv_sec = left / 1000;
            wait.tv_nsec = (left % 1000) * 1000000L;
            timeout = &wait;
        }
        struct pollfd pfd = {fd, POLLIN, 0};
        int rc = ppoll(&pfd, 1, timeout, waiting_mask);
        if (rc < 0 && errno == EINTR) continue;
        if (rc < 0) { *why = strerror(errno); return -1; }
        if (rc == 0) continue;
        ssize_t r = read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) { *why = strerror(errno); return -1; }
        if (r == 0) {
            if (first && got == 0) return 1;
            *why = "the connection ended inside a frame";
            return -1;
        }
        got += (size_t)r;
    }
    return 0;
}

/*
 * Runs a job in the pilot service at socket_path, relaying its output to fds 1 and 2; returns the
 * exit code `vmgrid pilot run --service` would: the payload's, or 64/75-80 with a one-line reason
 * on stderr, or 143 when a SIGTERM or SIGINT cancelled it.
 */
static int vmgrid_service_run(const char *socket_path, const struct vmgrid_request *req)
{
    const char *why = NULL;
    struct vmgrid_buf frame = {0};
    if (vmgrid_encode_request(req, &frame, &why)) {
        vmgrid_say("vmgrid pilot run: %s\n", why);
        free(frame.data);
        return VMGRID_EXIT_USAGE;
    }
    /* The SPANK plugin runs this in the job's task, a fork of slurmstepd that never execs: under the
       stepd's own name Slurm's process tracking (proctrack/linuxproc, whose process-tree kill skips
       every process named as the stepd is) would send it neither the SIGTERM of a scancel nor the
       SIGKILL after KillWait, and the job would hang in COMPLETING. It takes the name of the command it
       stands for, as the exec of `vmgrid pilot run` gave it. */
    prctl(PR_SET_NAME, "vmgrid", 0, 0, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = vmgrid_on_stop; /* no SA_RESTART: a blocked call returns */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigprocmask(SIG_UNBLOCK, &stop, NULL);

    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    int fd = -1;
    if (strlen(socket_path) >= sizeof addr.sun_path) {
        errno = ENAMETOOLONG;
    } else {
        strcpy(addr.sun_path, socket_path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
            int e = errno;
            close(fd);
            fd = -1;
            errno = e;
        }
    }
    if (fd < 0) {
        vmgrid_say("vmgrid pilot run: cannot reach the pilot service at %s: %s; check that 'vmgrid serve' runs on "
                   "this node with service.socket = %s in pilot.properties\n", socket_path, strerror(errno),
                   socket_path);
        free(frame.data);
        return VMGRID_EXIT_HOST;
    }
    size_t sent = 0;
    while (sent < frame.len) {
        ssize_t w = send(fd, frame.data + sent, frame.len - sent, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break; /* a service that refused at once may have said why: read on */
        sent += (size_t)w;
    }
    free(frame.data);

    sigset_t waiting;
    sigprocmask(SIG_BLOCK, &stop, &waiting);
    int cancelled = 0, code = VMGRID_EXIT_HOST;
    long deadline = 0;
    const char *lost = NULL;
    char lostbuf[160];
    unsigned char *body = malloc(VMGRID_MAX_FRAME);
    if (!body) {
        close(fd);
        sigprocmask(SIG_SETMASK, &waiting, NULL);
        vmgrid_say("vmgrid pilot run: out of memory\n");
        return VMGRID_EXIT_HOST;
    }
    for (;;) {
        unsigned char head[5];
        int rc = vmgrid_read_exact(fd, head, 5, 1, &cancelled, &deadline, &waiting, &why);
        if (rc == 1) {
            lost = sent < frame.len ? "it closed the connection before taking the request"
                                    : "it closed the connection before the job's result";
            break;
        }
        if (rc == -2) { code = VMGRID_EXIT_CANCELLED; break; }
        if (rc < 0) { snprintf(lostbuf, sizeof lostbuf, "the connection failed: %s", why); lost = lostbuf; break; }
        uint32_t len;
        if (vmgrid_check_head(head, &len, &why)) {
            snprintf(lostbuf, sizeof lostbuf, "the connection failed: %s", why);
            lost = lostbuf;
            break;
        }
        rc = vmgrid_read_exact(fd, body, len, 0, &cancelled, &deadline, &waiting, &why);
        if (rc == -2) { code = VMGRID_EXIT_CANCELLED; break; }
        if (rc < 0) { snprintf(lostbuf, sizeof lostbuf, "the connection failed: %s", why); lost = lostbuf; break; }
        if (head[0] == VMGRID_FRAME_STDOUT || head[0] == VMGRID_FRAME_STDERR) {
            vmgrid_write_all(head[0] == VMGRID_FRAME_STDOUT ? 1 : 2, body, len);
            continue;
        }
        if (head[0] != VMGRID_FRAME_EXIT && head[0] != VMGRID_FRAME_FAILURE) {
            snprintf(lostbuf, sizeof lostbuf, "it sent a frame of unknown type %d", head[0]);
            lost = lostbuf;
            break;
        }
        struct vmgrid_ending e;
        if (vmgrid_decode_ending(head[0], body, len, &e, &why)) {
            snprintf(lostbuf, sizeof lostbuf, "the connection failed: %s", why);
            lost = lostbuf;
            break;
        }
        if (e.is_exit) {
            code = e.code;
        } else {
            char line[4096];
            int n = 0;
            if (!(e.job_len == 1 && e.job[0] == '-'))
                n = snprintf(line, sizeof line, "vmgrid pilot run: job %.*s: ", (int)e.job_len, (const char *)e.job);
            else
                n = snprintf(line, sizeof line, "vmgrid pilot run: ");
            vmgrid_write_all(2, (const unsigned char *)line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
            vmgrid_write_all(2, e.reason, e.reason_len);
            vmgrid_write_all(2, (const unsigned char *)"\n", 1);
            code = vmgrid_kind_exit[e.code];
        }
        break;
    }
    free(body);
    close(fd);
    sigprocmask(SIG_SETMASK, &waiting, NULL);
    if (lost) {
        if (cancelled) return VMGRID_EXIT_CANCELLED;
        vmgrid_say("vmgrid pilot run: the pilot service at %s: %s; see the service's log (vmgrid serve)\n", socket_path,
                   lost);
        return VMGRID_EXIT_HOST;
    }
    return code;
}

#endif
