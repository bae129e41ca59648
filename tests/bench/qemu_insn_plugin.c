/* A qemu-user TCG plugin that counts the guest instructions a program retires.
 *
 * Timings under QEMU say nothing about a real core, but the number of retired aarch64
 * instructions is deterministic for a given binary and input, so it is how edgefuse
 * compares kernels and tiers on an x86 machine (see insn-count.sh).
 *
 *   cc -shared -fPIC -O2 qemu_insn_plugin.c -o insn.so
 *   qemu-aarch64 -cpu cortex-a72 -L SYSROOT -plugin ./insn.so,out=FILE PROGRAM ARGS
 *
 * The count is added inline per executed translation block. With several guest
 * threads the additions can race; count single-threaded runs.
 *
 * QEMU installs no plugin header in Debian, so the handful of declarations of the
 * stable plugin API (version 1, QEMU 4.2 and later) used here are written out. */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
typedef struct qemu_info_t qemu_info_t;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb* tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void* userdata);

extern void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
extern size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb* tb);
extern void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb* tb, enum qemu_plugin_op op, void* ptr,
                                                     uint64_t imm);
extern void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void* userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

static uint64_t retired;
static char report_path[4096];

static void translated(qemu_plugin_id_t id, struct qemu_plugin_tb* tb) {
  (void)id;
  /* Executing this block retires all of its instructions (a fault mid-block is rare
   * enough not to matter for benchmarks). */
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &retired, qemu_plugin_tb_n_insns(tb));
}

static void finished(qemu_plugin_id_t id, void* userdata) {
  (void)id;
  (void)userdata;
  FILE* report = report_path[0] != '\0' ? fopen(report_path, "w") : NULL;
  fprintf(report != NULL ? report : stderr, "retired_instructions %" PRIu64 "\n", retired);
  if (report != NULL) fclose(report);
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t* info,
                                                               int argc, char** argv) {
  (void)info;
  for (int i = 0; i < argc; ++i) {
    if (strncmp(argv[i], "out=", 4) == 0) snprintf(report_path, sizeof report_path, "%s", argv[i] + 4);
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, translated);
  qemu_plugin_register_atexit_cb(id, finished, NULL);
  return 0;
}
