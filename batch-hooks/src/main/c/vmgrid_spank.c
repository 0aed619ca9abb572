/*
 * vmgrid SPANK plugin (slurmd side, plugstack.conf: `required /path/vmgrid_spank.so vmgrid=/usr/bin/vmgrid
 * [service=/run/vmgrid/pilot.sock]`; with service=, jobs run through the resident pilot service of
 * `vmgrid serve`, which owns libvirt, so the job's user needs no libvirt access).
 * In each task of a job whose comment starts with "vmgrid:" (written by the CE's DirectiveEncoder),
 * it parses the comment strictly and execs `vmgrid pilot run` with the job's environment, so the
 * batch script runs inside the VM of the image it asked for. A bad comment fails the task with the
 * reason; a vmgrid job never runs without its VM. Jobs without such a comment are untouched.
 * The comment is read from slurmctld (slurm_load_job): SLURM 22.05's SPANK has no item for it.
 * A VM job whose environment says VMGRID_JOB_WRAPPER=cream (the CE's BLAH hook writes it) runs CREAM's
 * job wrapper: see cream_job_wrapper() below and the plugstack.conf argument cream=.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <slurm/slurm.h>
#include <slurm/spank.h>

SPANK_PLUGIN(vmgrid, 1);

#define PREFIX "vmgrid:"
static const char *vmgrid_bin = "/usr/bin/vmgrid";
static const char *service_socket = NULL;
static const char *cream_dir = NULL; /* cream=: vmgrid's customization of CREAM's job wrapper */

int slurm_spank_init(spank_t sp, int ac, char **av)
{
    for (int i = 0; i < ac; i++) {
        if (strncmp(av[i], "vmgrid=", 7) == 0 && av[i][7] == '/') {
            vmgrid_bin = av[i] + 7;
        } else if (strncmp(av[i], "service=", 8) == 0 && av[i][8] == '/') {
            service_socket = av[i] + 8;
        } else if (strncmp(av[i], "cream=", 6) == 0 && av[i][6] == '/') {
            cream_dir = av[i] + 6;
        } else {
            slurm_error("vmgrid: plugstack.conf argument '%s' is none of vmgrid=/absolute/path, "
                        "service=/absolute/socket, cream=/absolute/directory", av[i]);
            return -1;
        }
    }
    return 0;
}

static int is_uuid(const char *s, size_t n)
{
    if (n != 36) return 0;
    for (size_t i = 0; i < n; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !(isdigit((unsigned char)s[i]) || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
    }
    return 1;
}

static int is_number(const char *s, size_t n)
{
    if (n == 0 || n > 9 || s[0] == '0') return 0; /* DirectiveEncoder: [1-9][0-9]{0,8} */
    for (size_t i = 0; i < n; i++) if (!isdigit((unsigned char)s[i])) return 0;
    return 1;
}

/* Takes "<key>=<value>" followed by ',' or end; copies value into out (size cap). */
static const char *field(const char *p, const char *key, char *out, size_t cap, int (*ok)(const char *, size_t))
{
    size_t k = strlen(key);
    if (strncmp(p, key, k) != 0 || p[k] != '=') return NULL;
    p += k + 1;
    size_t n = strcspn(p, ",");
    if (n >= cap || !ok(p, n)) return NULL;
    memcpy(out, p, n);
    out[n] = '\0';
    return p + n;
}

static int is_net(const char *s, size_t n)
{
    return (n == 4 && strncmp(s, "none", 4) == 0) || (n == 8 && strncmp(s, "outbound", 8) == 0);
}

struct vm { char image[37], mem[10], cpus[10], net[9]; };

/* The exact grammar DirectiveEncoder emits: vmgrid:image=<uuid>,mem=<n>,cpus=<n>,net=<none|outbound>. */
static int parse(const char *c, struct vm *vm)
{
    const char *p = c + strlen(PREFIX);
    if (!(p = field(p, "image", vm->image, sizeof vm->image, is_uuid)) || *p++ != ',') return -1;
    if (!(p = field(p, "mem", vm->mem, sizeof vm->mem, is_number)) || *p++ != ',') return -1;
    if (!(p = field(p, "cpus", vm->cpus, sizeof vm->cpus, is_number)) || *p++ != ',') return -1;
    if (!(p = field(p, "net", vm->net, sizeof vm->net, is_net)) || *p != '\0') return -1;
    return 0;
}

static int cream_job_wrapper(spank_t sp, uint32_t job_id, const struct vm *vm);

static char *read_script(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    size_t cap = 128 * 1024, n = 0;
    char *b = malloc(cap);
    if (b) n = fread(b, 1, cap - 1, f);
    int big = b && n == cap - 1 && fgetc(f) != EOF;
    fclose(f);
    if (!b || big || memchr(b, '\0', n)) { free(b); return NULL; }
    b[n] = '\0';
    return b;
}

int slurm_spank_task_init(spank_t sp, int ac, char **av)
{
    uint32_t job_id, step_id;
    if (spank_get_item(sp, S_JOB_ID, &job_id) != ESPANK_SUCCESS
            || spank_get_item(sp, S_JOB_STEPID, &step_id) != ESPANK_SUCCESS) {
        slurm_error("vmgrid: cannot read the job and step id");
        return -1;
    }
    job_info_msg_t *msg = NULL;
    if (slurm_load_job(&msg, job_id, SHOW_DETAIL) != SLURM_SUCCESS || msg->record_count < 1) {
        slurm_error("vmgrid: job %u: cannot read its comment from slurmctld: %s", job_id, slurm_strerror(errno));
        return -1;
    }
    const char *comment = msg->job_array[0].comment;
    if (comment == NULL || strncmp(comment, PREFIX, strlen(PREFIX)) != 0) {
        slurm_free_job_info_msg(msg);
        return 0; /* a plain job: untouched */
    }
    struct vm vm;
    int bad = parse(comment, &vm);
    slurm_free_job_info_msg(msg);
    if (bad) {
        slurm_error("vmgrid: job %u: its comment is not vmgrid:image=<uuid>,mem=<MiB>,cpus=<n>,net=<none|outbound>;"
                " the job is not run", job_id);
        return -1;
    }
    if (step_id != SLURM_BATCH_SCRIPT) {
        slurm_error("vmgrid: job %u: only its batch script runs (inside the VM); step %u is refused", job_id, step_id);
        return -1;
    }
    char wrapper[16];
    spank_err_t w = spank_getenv(sp, "VMGRID_JOB_WRAPPER", wrapper, sizeof wrapper);
    if (w == ESPANK_SUCCESS && strcmp(wrapper, "cream") == 0) {
        return cream_job_wrapper(sp, job_id, &vm);
    }
    if (w != ESPANK_ENV_NOEXIST) {
        slurm_error("vmgrid: job %u: its environment's VMGRID_JOB_WRAPPER is not 'cream', the one job wrapper "
                "vmgrid knows; the job is not run", job_id);
        return -1;
    }
    int argc;
    char **argv, **env;
    char cwd[4096];
    if (spank_get_item(sp, S_JOB_ARGV, &argc, &argv) != ESPANK_SUCCESS || argc < 1
            || spank_get_item(sp, S_JOB_ENV, &env) != ESPANK_SUCCESS || !getcwd(cwd, sizeof cwd)) {
        slurm_error("vmgrid: job %u: cannot read its script, environment or working directory", job_id);
        return -1;
    }
    char *script = read_script(argv[0]);
    if (!script) {
        slurm_error("vmgrid: job %u: cannot read its batch script %s (or it is over 128 KiB)", job_id, argv[0]);
        return -1;
    }
    if (argc > 14) {
        slurm_error("vmgrid: job %u: more than 13 script arguments; not supported for VM jobs", job_id);
        free(script);
        return -1;
    }
    /* The script's text runs under the guest's /bin/sh: the script file itself lives in slurmd's
       spool directory, which is not shared into the VM. */
    char *cmd[34] = {(char *)vmgrid_bin, "pilot", "run", "--image", vm.image, "--memory", vm.mem, "--cpus", vm.cpus,
            "--network", vm.net, "--workdir", cwd};
    int n = 13;
    if (service_socket) {
        cmd[n++] = "--service";
        cmd[n++] = (char *)service_socket;
    }
    cmd[n++] = "--";
    cmd[n++] = "/bin/sh";
    cmd[n++] = "-c";
    cmd[n++] = script;
    cmd[n++] = "slurm_script";
    for (int i = 1; i < argc; i++) cmd[n++] = argv[i];
    cmd[n] = NULL;
    execve(vmgrid_bin, cmd, env);
    slurm_error("vmgrid: job %u: cannot start %s: %s", job_id, vmgrid_bin, strerror(errno));
    return -1;
}

/*
 * CREAM's job wrapper. BLAH's batch script runs it: it stages the input sandbox, renews the job's proxy
 * and tells CREAM the job's states while the user's command runs, then uploads the output sandbox. All
 * of that stays on the host (a guest has no network by default, and must not hold the job's proxy);
 * only the user's command runs in the VM, through vmgrid's customization of the wrapper, cp_1.sh and
 * cp_2.sh in the directory of cream=, which the wrapper sources from $GLITE_LOCAL_CUSTOMIZATION_DIR.
 * So the script is left to run on the host, with that directory and the checked request in its
 * environment (VMGRID_IMAGE, _MEMORY, _CPUS, _NETWORK). A node without the customization (no cream=,
 * or files that are not vmgrid's, or that others than root could change) fails the job with the
 * reason: its command never runs on the host.
 */
#define CREAM_MARK "\nvmgrid_cream_customization=1\n"

/* 0 when path is a root-owned file (or directory) no one else may write, with the mark in a file's text. */
static int root_owned(const char *path, int directory, char *why, size_t cap)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        snprintf(why, cap, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (directory ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) {
        snprintf(why, cap, "%s is not a %s", path, directory ? "directory" : "plain file");
        return -1;
    }
    if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH))) {
        snprintf(why, cap, "%s is not root's alone (owner uid %u, mode %03o)", path, (unsigned)st.st_uid,
                (unsigned)(st.st_mode & 0777));
        return -1;
    }
    if (directory) return 0;
    FILE *f = fopen(path, "r");
    char text[65536];
    size_t n = f ? fread(text + 1, 1, sizeof text - 2, f) : 0;
    if (f) fclose(f);
    text[0] = '\n';
    text[n + 1] = '\0';
    if (n == 0 || memchr(text + 1, '\0', n) || !strstr(text, CREAM_MARK)) {
        snprintf(why, cap, "%s is not vmgrid's customization of CREAM's job wrapper", path);
        return -1;
    }
    return 0;
}

static int cream_job_wrapper(spank_t sp, uint32_t job_id, const struct vm *vm)
{
    if (!cream_dir) {
        slurm_error("vmgrid: job %u: it runs CREAM's job wrapper, but this node's plugstack.conf names no cream= "
                "directory with vmgrid's customization of it; the job is not run", job_id);
        return -1;
    }
    char why[4096 + 128], path[4096];
    int bad = root_owned(cream_dir, 1, why, sizeof why);
    for (int i = 1; !bad && i <= 2; i++) {
        if (snprintf(path, sizeof path, "%s/cp_%d.sh", cream_dir, i) >= (int)sizeof path) {
            snprintf(why, sizeof why, "the cream= directory's name is too long");
            bad = -1;
        } else {
            bad = root_owned(path, 0, why, sizeof why);
        }
    }
    if (bad) {
        slurm_error("vmgrid: job %u: it runs CREAM's job wrapper, but %s; install vmgrid's customization (vmgrid "
                "cream install-customization); the job is not run", job_id, why);
        return -1;
    }
    if (spank_setenv(sp, "GLITE_LOCAL_CUSTOMIZATION_DIR", cream_dir, 1) != ESPANK_SUCCESS
            || spank_setenv(sp, "VMGRID_IMAGE", vm->image, 1) != ESPANK_SUCCESS
            || spank_setenv(sp, "VMGRID_MEMORY", vm->mem, 1) != ESPANK_SUCCESS
            || spank_setenv(sp, "VMGRID_CPUS", vm->cpus, 1) != ESPANK_SUCCESS
            || spank_setenv(sp, "VMGRID_NETWORK", vm->net, 1) != ESPANK_SUCCESS) {
        slurm_error("vmgrid: job %u: cannot set its environment for CREAM's job wrapper; the job is not run", job_id);
        return -1;
    }
    return 0; /* the script runs on the host; the wrapper's customization runs the user's command in the VM */
}
