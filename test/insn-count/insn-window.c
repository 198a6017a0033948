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
 *   insn-window: id=ID insns=N user=U kernel=K module=M blocks=B rets=R
 *                mem=A xpage=X jcmiss=J [tlbmiss=T64/T256/T1024/T4096]
 *
 * where N is the number of instructions the vCPU executed (interrupts
 * included) since the previous marker, and U, K and M split it by where
 * the code runs: user space, the kernel image, or module space. B is the
 * number of translation blocks executed, R the number of return
 * instructions and A the number of memory accesses, X the number of times execution moved to a block in another
 * guest page than the previous block's: what TCG costs
 * besides the instructions themselves. J counts the misses of a model of
 * QEMU's per-vCPU jump cache (4096 entries, the index a hash of the guest
 * address) at the transfers that consult it, across pages and after a
 * return: two hot blocks with the same index evict each other at every
 * call, and each miss is a search of the global hash table instead of a
 * load, so where code lands can cost time without one more instruction.
 * A lower bound: QEMU also consults the cache at indirect calls and jumps
 * within a page and when it re-enters its main loop, which are not
 * modelled. T64 ... T4096 count the misses of a model of QEMU's software
 * TLB with 64, 256, 1024 and 4096 entries (see tlb_access()): QEMU sizes
 * its TLB at run time, 64 entries at least, 256 at first. A lower bound
 * too: QEMU's flushes (address-space switches, TLB invalidations) and
 * its code-fetch entries are not modelled. A
 * memory access is a lookup in
 * QEMU's software TLB, several host instructions even when it hits. Each
 * block entered costs a dispatch, and a return is an indirect jump that
 * QEMU cannot chain to its target, so every one is a lookup in its
 * translation-block cache (helper_lookup_tb_ptr) where hardware predicts
 * the return for free. Module
 * space is where Linux 6.12 maps modules when it boots with "nokaslr"
 * (insn-count.sh passes it): on x86_64 from 0xffffffffa0000000 up (above
 * the kernel image at 0xffffffff81000000; 0xffffffffc0000000 up when the
 * kernel is built with CONFIG_RANDOMIZE_BASE), on arm64 the 2 GiB below
 * the kernel image, [0xffff800000000000, 0xffff800080000000) with 48-bit
 * virtual addresses. Counting is per
 * translation block (inline, so the guest runs at nearly full speed): a
 * block cut short by an exception counts whole, an error that is the same
 * at every marker because the markers sit at the same places.
 *
 * Usage: qemu-system-{x86_64,aarch64} -plugin insn-window.so[,tlb=on]
 *        -d plugin -D LOG ...
 * (tlb=on: the TLB model and its tlbmiss= field; it slows the guest.)
 */
#include <glib.h>
#include <inttypes.h>
#include <stdbool.h>
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
	bool (*is_return)(const uint8_t *op, size_t len);
	bool unprivileged_uaccess;	/* see tlb_mode() */
};

/* RET, RET imm16, and REP RET. */
static bool x86_return(const uint8_t *op, size_t len)
{
	return (len == 1 && op[0] == 0xc3) || (len == 3 && op[0] == 0xc2) ||
	       (len == 2 && op[0] == 0xf3 && op[1] == 0xc3);
}

/* RET Xn. */
static bool a64_return(const uint8_t *op, size_t len)
{
	uint32_t insn;

	if (len != 4)
		return false;
	memcpy(&insn, op, sizeof(insn));
	return (insn & 0xfffffc1fu) == 0xd65f0000u;
}

static const struct layout layouts[] = {
	{ "x86_64", "rax", 0xffff800000000000ull, 0xffffffffa0000000ull,
	  UINT64_MAX, { 0x0f, 0xa2 }, 2, x86_return, false },	/* cpuid */
	{ "aarch64", "x0", 0xffff000000000000ull, 0xffff800000000000ull,
	  0xffff800080000000ull, { 0x7f, 0x2f, 0x03, 0xd5 }, 4,
	  a64_return, true },					/* hint #0x7b */
};

static const struct layout *arch;

enum where { USER, KERNEL, MODULE, NWHERE };

/*
 * QEMU's jump cache (TB_JMP_CACHE_BITS 12 in accel/tcg) and its system
 * emulation hash: the high half of the index from the page, the low half
 * from the offset, each folded with the bits above it. 4 KiB pages.
 */
#define JC_BITS		12
#define JC_SIZE		(1u << JC_BITS)
#define JC_PAGE_BITS	(JC_BITS / 2)
#define PAGE_BITS	12

static unsigned int jc_index(uint64_t pc)
{
	uint64_t t = pc ^ (pc >> (PAGE_BITS - JC_PAGE_BITS));

	return ((t >> (PAGE_BITS - JC_PAGE_BITS)) &
		(JC_SIZE - (1u << JC_PAGE_BITS))) |
	       (t & ((1u << JC_PAGE_BITS) - 1));
}

/*
 * QEMU's software TLB (accel/tcg/cputlb.c), one per MMU mode: a
 * direct-mapped table indexed by the page number, whose size QEMU picks
 * between 2^6 and far more entries at each flush from how full it was
 * (2^8 to start with), and a victim table of 8 entries, searched on a
 * miss, that keeps what the main table evicted (in turn). A miss in both
 * is a walk of the guest's page tables in C. Modelled at four sizes at
 * once, for 4 KiB pages; an access that spans two pages counts as one.
 */
#define TLB_NSIZES	4
#define TLB_MAX_BITS	12
#define VTLB_SIZE	8

static const unsigned int tlb_bits[TLB_NSIZES] = { 6, 8, 10, TLB_MAX_BITS };

struct tlb_model {
	uint64_t tag[1u << TLB_MAX_BITS];	/* page number + 1; 0: empty */
	uint64_t victim[VTLB_SIZE];
	unsigned int next_victim;
};

enum tlb_mode { TLB_USER, TLB_KERNEL, TLB_NMODES };

struct vcpu_state {
	uint64_t insns[NWHERE];	/* executed so far, updated inline */
	uint64_t last[NWHERE];	/* insns at the previous marker */
	uint64_t blocks, last_blocks;
	uint64_t rets, last_rets;
	uint64_t mem, last_mem;
	uint64_t xpage, last_xpage;
	uint64_t jcmiss, last_jcmiss;
	uint64_t tlbmiss[TLB_NSIZES], last_tlbmiss[TLB_NSIZES];
	struct tlb_model tlb[TLB_NSIZES][TLB_NMODES];
	bool kernel_code;	/* the last block executed is not user code */
	uint64_t page;		/* guest page of the last block executed */
	bool after_return;	/* the last block ended with a return */
	uint64_t jc[JC_SIZE];	/* model of QEMU's jump cache: block addresses */
};

/* What tb_exec needs to know of a block. */
struct block {
	uint64_t pc;
	bool ends_with_return;
};

static bool tlb_model;		/* plugin argument tlb=on */
static struct qemu_plugin_scoreboard *state;
static qemu_plugin_u64 insns[NWHERE];
static qemu_plugin_u64 blocks, rets, mem;
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
	uint64_t d[NWHERE], db, dr, dm, dx, dj, dt[TLB_NSIZES];
	char line[512];
	int w, n;

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
	db = s->blocks - s->last_blocks;
	s->last_blocks = s->blocks;
	dr = s->rets - s->last_rets;
	s->last_rets = s->rets;
	dm = s->mem - s->last_mem;
	s->last_mem = s->mem;
	dx = s->xpage - s->last_xpage;
	s->last_xpage = s->xpage;
	dj = s->jcmiss - s->last_jcmiss;
	s->last_jcmiss = s->jcmiss;
	for (w = 0; w < TLB_NSIZES; w++) {
		dt[w] = s->tlbmiss[w] - s->last_tlbmiss[w];
		s->last_tlbmiss[w] = s->tlbmiss[w];
	}
	n = snprintf(line, sizeof(line),
		     "insn-window: id=%u insns=%" PRIu64 " user=%" PRIu64
		     " kernel=%" PRIu64 " module=%" PRIu64 " blocks=%" PRIu64
		     " rets=%" PRIu64 " mem=%" PRIu64 " xpage=%" PRIu64
		     " jcmiss=%" PRIu64,
		     value & ~MARKER_MASK, d[USER] + d[KERNEL] + d[MODULE],
		     d[USER], d[KERNEL], d[MODULE], db, dr, dm, dx, dj);
	if (tlb_model)
		snprintf(line + n, sizeof(line) - n,
			 " tlbmiss=%" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64
			 "\n", dt[0], dt[1], dt[2], dt[3]);
	else
		snprintf(line + n, sizeof(line) - n, "\n");
	qemu_plugin_outs(line);
}

/*
 * QEMU links a block directly to the next only within a guest page; any
 * other transfer, and a return, looks the next block up in the jump cache
 * first. Counted by a callback, not inline: it compares with the previous
 * block.
 */
static void tb_exec(unsigned int vcpu, void *udata)
{
	struct vcpu_state *s = qemu_plugin_scoreboard_find(state, vcpu);
	const struct block *b = udata;
	uint64_t page = b->pc >> PAGE_BITS;
	bool other_page = page != s->page;

	if (other_page)
		s->xpage++;
	if (other_page || s->after_return) {
		unsigned int i = jc_index(b->pc);

		if (s->jc[i] != b->pc) {
			s->jcmiss++;
			s->jc[i] = b->pc;
		}
	}
	s->page = page;
	s->after_return = b->ends_with_return;
	s->kernel_code = b->pc >= arch->kernel_start;
}

/*
 * Which of QEMU's TLBs an access goes through. x86_64: the one of the
 * privilege the code runs at (the kernel's copies to and from user
 * memory included). aarch64: the kernel copies to and from user memory
 * with unprivileged loads and stores (LDTR/STTR), which QEMU looks up in
 * the EL0 table: there the address decides.
 */
static enum tlb_mode tlb_mode(const struct vcpu_state *s, uint64_t vaddr)
{
	if (arch->unprivileged_uaccess)
		return vaddr >= arch->kernel_start ? TLB_KERNEL : TLB_USER;
	return s->kernel_code ? TLB_KERNEL : TLB_USER;
}

static void tlb_access(unsigned int vcpu, qemu_plugin_meminfo_t info,
		       uint64_t vaddr, void *udata)
{
	struct vcpu_state *s = qemu_plugin_scoreboard_find(state, vcpu);
	uint64_t tag = (vaddr >> PAGE_BITS) + 1;
	enum tlb_mode mode = tlb_mode(s, vaddr);
	unsigned int t;

	for (t = 0; t < TLB_NSIZES; t++) {
		struct tlb_model *m = &s->tlb[t][mode];
		uint64_t *entry = &m->tag[(tag - 1) & ((1u << tlb_bits[t]) - 1)];
		unsigned int v;

		if (*entry == tag)
			continue;
		for (v = 0; v < VTLB_SIZE && m->victim[v] != tag; v++)
			;
		if (v < VTLB_SIZE) {		/* swapped back in */
			m->victim[v] = *entry;
			*entry = tag;
			continue;
		}
		s->tlbmiss[t]++;		/* a page walk */
		if (*entry) {
			m->victim[m->next_victim] = *entry;
			m->next_victim = (m->next_victim + 1) % VTLB_SIZE;
		}
		*entry = tag;
	}
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);
	uint64_t pc = qemu_plugin_tb_vaddr(tb);
	/* One per translation, kept for the life of the process. */
	struct block *b = g_new0(struct block, 1);
	enum where w = pc < arch->kernel_start ? USER :
		       pc >= arch->modules_start && pc < arch->modules_end ?
		       MODULE : KERNEL;
	size_t i;

	qemu_plugin_register_vcpu_tb_exec_inline_per_vcpu(
		tb, QEMU_PLUGIN_INLINE_ADD_U64, insns[w], n);
	qemu_plugin_register_vcpu_tb_exec_inline_per_vcpu(
		tb, QEMU_PLUGIN_INLINE_ADD_U64, blocks, 1);
	b->pc = pc;
	qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_exec, QEMU_PLUGIN_CB_NO_REGS,
					     b);
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		size_t len = qemu_plugin_insn_size(insn);
		uint8_t op[4];

		qemu_plugin_register_vcpu_mem_inline_per_vcpu(
			insn, QEMU_PLUGIN_MEM_RW, QEMU_PLUGIN_INLINE_ADD_U64, mem, 1);
		if (tlb_model)
			qemu_plugin_register_vcpu_mem_cb(
				insn, tlb_access, QEMU_PLUGIN_CB_NO_REGS,
				QEMU_PLUGIN_MEM_RW, NULL);

		if (len > sizeof(op) ||
		    qemu_plugin_insn_data(insn, op, len) != len)
			continue;
		if (arch->is_return(op, len)) {
			qemu_plugin_register_vcpu_insn_exec_inline_per_vcpu(
				insn, QEMU_PLUGIN_INLINE_ADD_U64, rets, 1);
			b->ends_with_return = i == n - 1;
		}
		if (len == arch->marker_len &&
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
	int a;

	for (a = 0; a < argc; a++) {
		char *eq = strchr(argv[a], '=');

		if (!eq || eq - argv[a] != 3 || strncmp(argv[a], "tlb", 3) ||
		    !qemu_plugin_bool_parse("tlb", eq + 1, &tlb_model)) {
			fprintf(stderr, "insn-window: unknown argument %s\n",
				argv[a]);
			return -1;
		}
	}
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
	blocks = qemu_plugin_scoreboard_u64_in_struct(
		state, struct vcpu_state, blocks);
	rets = qemu_plugin_scoreboard_u64_in_struct(
		state, struct vcpu_state, rets);
	mem = qemu_plugin_scoreboard_u64_in_struct(
		state, struct vcpu_state, mem);
	qemu_plugin_register_vcpu_init_cb(id, vcpu_init);
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, plugin_exit, NULL);
	return 0;
}
