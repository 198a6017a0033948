// SPDX-License-Identifier: GPL-2.0
/*
 * insn-window: a QEMU TCG plugin that counts the guest instructions
 * executed between two marker instructions, for x86_64 and aarch64 guests.
 *
 * Timing under TCG measures QEMU's translator on a shared host, and the
 * same code's cost moves with where it sits in memory; the number of guest
 * instructions an operation executes does not. The guest marks the end of
 * each window with a marker instruction and 0x5250xxxx ("RP" and a 16-bit
 * window id) in a register: on x86_64 CPUID with that value in EAX (CPUID
 * with any other EAX, such as the kernel's own, is ignored), on aarch64
 * "HINT #0x7b" (an unallocated hint, a NOP for the CPU; compilers never
 * emit it) with the value in W0. At each marker the plugin prints
 *
 *   insn-window: id=ID insns=N user=U kernel=K module=M
 *
 * where N is the number of instructions the vCPU executed (interrupts
 * included) since the previous marker, and U, K and M split it by where
 * the code runs: user space, the kernel image, or module space. Module
 * space is where Linux 6.12 maps modules without KASLR: on x86_64 from
 * 0xffffffffa0000000 up (above a kernel image of up to 512 MiB), on arm64
 * the 2 GiB below the kernel image, [0xffff800000000000,
 * 0xffff800080000000) with 48-bit virtual addresses. Counting is per
 * translation block (inline, so the guest runs at nearly full speed): a
 * block cut short by an exception counts whole, an error that is the same
 * at every marker because the markers sit at the same places.
 *
 * Usage: qemu-system-{x86_64,aarch64} -plugin insn-window.so -d plugin -D LOG ...
 */
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define MARKER_MAGIC	0x52500000u
#define MARKER_MASK	0xffff0000u

/* Where kernel, module and user code lie, per guest architecture. */
struct layout {
	const char *target;	/* QEMU's target name */
	const char *reg;	/* register holding the marker value */
	uint64_t kernel_start;	/* lowest kernel address */
	uint64_t modules_start, modules_end;
	uint8_t marker[4];	/* encoding of the marker instruction */
	size_t marker_len;
};

static const struct layout layouts[] = {
	{ "x86_64", "rax", 0xffff800000000000ull, 0xffffffffa0000000ull,
	  UINT64_MAX, { 0x0f, 0xa2 }, 2 },			/* cpuid */
	{ "aarch64", "x0", 0xffff000000000000ull, 0xffff800000000000ull,
	  0xffff800080000000ull, { 0x7f, 0x2f, 0x03, 0xd5 }, 4 },	/* hint #0x7b */
};

static const struct layout *arch;

enum where { USER, KERNEL, MODULE, NWHERE };

struct vcpu_state {
	uint64_t insns[NWHERE];	/* executed so far, updated inline */
	uint64_t last[NWHERE];	/* insns at the previous marker */
};

static struct qemu_plugin_scoreboard *state;
static qemu_plugin_u64 insns[NWHERE];
static struct qemu_plugin_register *marker_reg;

static void vcpu_init(qemu_plugin_id_t id, unsigned int vcpu)
{
	GArray *regs = qemu_plugin_get_registers();
	guint i;

	for (i = 0; i < regs->len; i++) {
		qemu_plugin_reg_descriptor *d =
			&g_array_index(regs, qemu_plugin_reg_descriptor, i);

		if (!strcmp(d->name, arch->reg))
			marker_reg = d->handle;
	}
	g_array_free(regs, TRUE);
}

static void marker(unsigned int vcpu, void *udata)
{
	struct vcpu_state *s = qemu_plugin_scoreboard_find(state, vcpu);
	GByteArray *val = g_byte_array_new();
	uint32_t value = 0;
	uint64_t d[NWHERE];
	char line[160];
	int w;

	/* Both guests are little-endian: the low 32 bits come first. */
	if (marker_reg && qemu_plugin_read_register(marker_reg, val) >= 4)
		memcpy(&value, val->data, sizeof(value));
	g_byte_array_free(val, TRUE);
	if ((value & MARKER_MASK) != MARKER_MAGIC)
		return;
	for (w = 0; w < NWHERE; w++) {
		d[w] = s->insns[w] - s->last[w];
		s->last[w] = s->insns[w];
	}
	snprintf(line, sizeof(line),
		 "insn-window: id=%u insns=%" PRIu64 " user=%" PRIu64
		 " kernel=%" PRIu64 " module=%" PRIu64 "\n",
		 value & ~MARKER_MASK, d[USER] + d[KERNEL] + d[MODULE], d[USER],
		 d[KERNEL], d[MODULE]);
	qemu_plugin_outs(line);
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);
	uint64_t pc = qemu_plugin_tb_vaddr(tb);
	enum where w = pc < arch->kernel_start ? USER :
		       pc >= arch->modules_start && pc < arch->modules_end ?
		       MODULE : KERNEL;
	size_t i;

	qemu_plugin_register_vcpu_tb_exec_inline_per_vcpu(
		tb, QEMU_PLUGIN_INLINE_ADD_U64, insns[w], n);
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint8_t op[4];

		if (qemu_plugin_insn_size(insn) == arch->marker_len &&
		    qemu_plugin_insn_data(insn, op, arch->marker_len) ==
			    arch->marker_len &&
		    !memcmp(op, arch->marker, arch->marker_len))
			qemu_plugin_register_vcpu_insn_exec_cb(
				insn, marker, QEMU_PLUGIN_CB_R_REGS, NULL);
	}
}

static void plugin_exit(qemu_plugin_id_t id, void *p)
{
	qemu_plugin_scoreboard_free(state);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	size_t i;

	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (!strcmp(info->target_name, layouts[i].target))
			arch = &layouts[i];
	if (!arch) {
		fprintf(stderr, "insn-window: x86_64 and aarch64 guests only, not %s\n",
			info->target_name);
		return -1;
	}
	state = qemu_plugin_scoreboard_new(sizeof(struct vcpu_state));
	insns[USER] = qemu_plugin_scoreboard_u64_in_struct(
		state, struct vcpu_state, insns[USER]);
	insns[KERNEL] = qemu_plugin_scoreboard_u64_in_struct(
		state, struct vcpu_state, insns[KERNEL]);
	insns[MODULE] = qemu_plugin_scoreboard_u64_in_struct(
		state, struct vcpu_state, insns[MODULE]);
	qemu_plugin_register_vcpu_init_cb(id, vcpu_init);
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, plugin_exit, NULL);
	return 0;
}
