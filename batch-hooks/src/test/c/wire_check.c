/*
 * Test harness of vmgrid_wire.h (built and driven by WireClientTest):
 *   wire_check encode      stdin: NUL-terminated fields image, workdir, memory, cpus, network,
 *                          timeout, argc, the arguments, envc, then name and value of each
 *                          variable; stdout: the request frame, or "! <why>" on stderr and exit 1
 *   wire_check decode      stdin: cases, each a 4-byte big-endian length and that many bytes of
 *                          what a service might send; stdout: one line per case, the frames as the
 *                          client takes them ("O <len>", "E <len>", "X <job hex> <code>",
 *                          "F <job hex> <kind> <reason hex>"), then "." at a clean end or
 *                          "! <why>" where the client gives up
 *   wire_check run SOCKET IMAGE WORKDIR MEMORY CPUS NETWORK TIMEOUT -- CMD...
 *                          what the SPANK plugin does with service=: the job, run in the service
 */
#include "../../main/c/vmgrid_wire.h"

static char *field(char **p, char *end)
{
    char *f = *p;
    char *z = memchr(f, '\0', (size_t)(end - f));
    if (!z) { fprintf(stderr, "encode: a field without its NUL\n"); exit(2); }
    *p = z + 1;
    return f;
}

static int encode(void)
{
    static char in[4 << 20];
    size_t n = fread(in, 1, sizeof in, stdin);
    char *p = in, *end = in + n;
    struct vmgrid_request r;
    r.image = field(&p, end);
    r.workdir = field(&p, end);
    r.memory = atoi(field(&p, end));
    r.cpus = atoi(field(&p, end));
    r.network = field(&p, end);
    r.timeout = atoll(field(&p, end));
    r.argc = atoi(field(&p, end));
    char **argv = calloc((size_t)(r.argc > 0 ? r.argc : 1), sizeof *argv);
    for (int i = 0; i < r.argc; i++) argv[i] = field(&p, end);
    r.argv = argv;
    r.envc = atoi(field(&p, end));
    char **names = calloc((size_t)(r.envc > 0 ? r.envc : 1), sizeof *names);
    char **values = calloc((size_t)(r.envc > 0 ? r.envc : 1), sizeof *values);
    for (int i = 0; i < r.envc; i++) {
        names[i] = field(&p, end);
        values[i] = field(&p, end);
    }
    r.env_names = names;
    r.env_values = values;
    struct vmgrid_buf out = {0};
    const char *why;
    if (vmgrid_encode_request(&r, &out, &why)) {
        fprintf(stderr, "! %s\n", why);
        return 1;
    }
    fwrite(out.data, 1, out.len, stdout);
    return 0;
}

static void hex(const unsigned char *p, size_t n)
{
    if (n == 0) putchar('-');
    for (size_t i = 0; i < n; i++) printf("%02x", p[i]);
}

/* One case, frame by frame, as vmgrid_service_run takes what it reads. */
static void decode_case(const unsigned char *p, size_t n)
{
    for (;;) {
        if (n == 0) { printf(".\n"); return; }
        if (n < 5) { printf("! the connection ended inside a frame\n"); return; }
        uint32_t len;
        const char *why;
        if (vmgrid_check_head(p, &len, &why)) { printf("! %s\n", why); return; }
        if (n - 5 < len) { printf("! the connection ended inside a frame\n"); return; }
        const unsigned char *body = p + 5;
        int type = p[0];
        p += 5 + len;
        n -= 5 + len;
        if (type == VMGRID_FRAME_STDOUT || type == VMGRID_FRAME_STDERR) {
            printf("%c %u ", type, len);
            continue;
        }
        if (type != VMGRID_FRAME_EXIT && type != VMGRID_FRAME_FAILURE) {
            printf("! it sent a frame of unknown type %d\n", type);
            return;
        }
        struct vmgrid_ending e;
        if (vmgrid_decode_ending(type, body, len, &e, &why)) { printf("! %s\n", why); return; }
        if (e.is_exit) {
            printf("X ");
            hex(e.job, e.job_len);
            printf(" %d\n", e.code);
        } else {
            printf("F ");
            hex(e.job, e.job_len);
            printf(" %s ", vmgrid_kinds[e.code]);
            hex(e.reason, e.reason_len);
            printf("\n");
        }
        return; /* the client stops at the ending */
    }
}

static int decode(void)
{
    unsigned char head[4];
    static unsigned char buf[3 << 20];
    while (fread(head, 1, 4, stdin) == 4) {
        uint32_t n = (uint32_t)head[0] << 24 | (uint32_t)head[1] << 16 | (uint32_t)head[2] << 8 | head[3];
        if (n > sizeof buf || fread(buf, 1, n, stdin) != n) { fprintf(stderr, "decode: a bad case\n"); return 2; }
        decode_case(buf, n);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "encode") == 0) return encode();
    if (argc == 2 && strcmp(argv[1], "decode") == 0) return decode();
    if (argc >= 11 && strcmp(argv[1], "run") == 0 && strcmp(argv[9], "--") == 0) {
        struct vmgrid_request r = {argv[3], argv[4], argv[7], atoi(argv[5]), atoi(argv[6]), atoll(argv[8]),
                                   argc - 10, argv + 10, 0, NULL, NULL};
        return vmgrid_service_run(argv[2], &r);
    }
    fprintf(stderr, "usage: wire_check encode | decode | run SOCKET IMAGE WORKDIR MEMORY CPUS NETWORK TIMEOUT -- CMD...\n");
    return 2;
}
