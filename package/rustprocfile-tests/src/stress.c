// SPDX-License-Identifier: GPL-2.0
/*
 * stress: readers, writers, appenders and seekers on /proc/rustfile at once,
 * then a check that every completed write is in the file, whole.
 *
 * The file is a region of NSLOTS fixed-size records, written in place by
 * the writers (pwrite, or lseek + write, at record-aligned offsets), and
 * after it the records of the appenders (O_APPEND). Every record names its
 * writer and sequence number and carries a checksum, so a torn write (bytes
 * of two writes in one record) fails the checksum.
 *
 * Lost writes: each writer logs when each of its writes started and ended.
 * The record left in a slot must be one a writer logged for that slot, and
 * no write to that slot may have started after it ended (that later write
 * would have had to replace it). Appends: every completed append must be in
 * the file exactly once, each appender's in its own order, so the size is
 * the region plus one record per completed append.
 *
 * REC is 1000, not a power of two, so records straddle the module's 4 KiB
 * pages and a write that is atomic per page but not as a whole shows up.
 *
 * The mapper (Linux 6.18) maps the file shared and owns the pages of
 * MAP_FIRST_PAGE to MAP_END_PAGE: writers leave the records there alone
 * and readers do not check them, as a page that is mapped is written in
 * place, so a read may see part of a store or write there, as on tmpfs.
 * Through the mapping it stores records that the next pread(2) must return,
 * pwrites records that the mapping must show at once, loads appended
 * records (which nobody changes) and checks them, calls msync(2), and
 * unmaps and maps again. At the end each of its records must be the last
 * one it put there.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

#define REC 1000
#define NSLOTS 256
#define REGION ((long long)NSLOTS * REC)
#define MAGIC 0x52504653u /* "RPFS" */
#define MAX_THREADS 64

enum kind { K_INIT = 1, K_WRITE = 2, K_APPEND = 3, K_MAP = 4 };

/* The mapper's pages. */
#define PAGE 4096LL
#define MAP_FIRST_PAGE 40
#define MAP_END_PAGE 44
#define MAP_START (MAP_FIRST_PAGE * PAGE)
#define MAP_END (MAP_END_PAGE * PAGE)
/* The records the mapper writes: those wholly in its pages. */
#define MAPPER_FIRST_SLOT ((MAP_START + REC - 1) / REC)
#define MAPPER_END_SLOT (MAP_END / REC)

static int in_mapper_pages(long long off)
{
	return off + REC > MAP_START && off < MAP_END;
}

struct record {
	uint32_t magic;
	uint16_t kind;
	uint16_t id;
	uint64_t seq;
	uint64_t off;		/* the slot's offset; UINT64_MAX for appends */
	uint8_t payload[REC - 32];
	uint64_t sum;		/* FNV-1a of everything before it */
};
_Static_assert(sizeof(struct record) == REC, "record size");

struct logent {
	uint32_t slot;
	uint64_t start, end;
};

struct worker {
	pthread_t thread;
	int id;
	uint64_t rng;
	uint64_t ops;
	/* writers: one entry per sequence number, index seq - 1 */
	struct logent *log;
	size_t nlog, caplog;
	/* appenders: appends completed */
	uint64_t appended;
	int full;
};

static atomic_int stop;
static atomic_long failures;
static long long max_size;

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void failure(const char *fmt, const char *a, long long b, long long c)
{
	/* The first failures are enough to debug; the rest only count. */
	if (atomic_fetch_add(&failures, 1) < 20)
		diag(fmt, a, b, c);
}

static void make_record(struct record *r, enum kind kind, int id,
			uint64_t seq, uint64_t off)
{
	uint64_t s = (seq << 20) ^ ((uint64_t)kind << 16) ^ (uint64_t)id ^
		     0x9e3779b97f4a7c15ULL;
	size_t i;

	r->magic = MAGIC;
	r->kind = (uint16_t)kind;
	r->id = (uint16_t)id;
	r->seq = seq;
	r->off = off;
	for (i = 0; i < sizeof(r->payload); i++)
		r->payload[i] = (uint8_t)next_rand(&s);
	r->sum = fnv1a(FNV_INIT, r, offsetof(struct record, sum));
}

/* A record as written by make_record, not bytes from two writes. */
static int record_valid(const struct record *r)
{
	struct record want;

	if (r->magic != MAGIC || r->kind < K_INIT || r->kind > K_MAP)
		return 0;
	if (r->sum != fnv1a(FNV_INIT, r, offsetof(struct record, sum)))
		return 0;
	make_record(&want, (enum kind)r->kind, r->id, r->seq, r->off);
	return !memcmp(&want, r, sizeof(want));
}

static int open_or_fail(int flags)
{
	int fd = open(path, flags);

	if (fd < 0) {
		failure("open(%s, %#llx): errno %lld", path, flags, errno);
		atomic_store(&stop, 1);
	}
	return fd;
}

static void *writer(void *arg)
{
	struct worker *w = arg;
	struct record r;
	int fd = open_or_fail(O_RDWR);

	while (fd >= 0 && !atomic_load(&stop)) {
		uint32_t slot = (uint32_t)(next_rand(&w->rng) % NSLOTS);
		long long off = (long long)slot * REC;

		if (in_mapper_pages(off))
			continue;
		uint64_t seq = w->nlog + 1;
		uint64_t t0, t1;
		ssize_t n;

		if (w->nlog == w->caplog) {
			size_t cap = w->caplog ? 2 * w->caplog : 4096;
			struct logent *l = realloc(w->log, cap * sizeof(*l));

			if (!l) {
				failure("%s: writer log: %lld/%lld", "ENOMEM", 0, 0);
				break;
			}
			w->log = l;
			w->caplog = cap;
		}
		make_record(&r, K_WRITE, w->id, seq, (uint64_t)off);
		t0 = now_ns();
		/* Both paths: pwrite passes the offset, write uses f_pos. */
		if (seq & 1) {
			n = pwrite(fd, &r, REC, off);
		} else {
			if (lseek(fd, off, SEEK_SET) != off) {
				failure("%s: lseek(%lld): errno %lld", "writer", off, errno);
				break;
			}
			n = write(fd, &r, REC);
		}
		t1 = now_ns();
		if (n != REC) {
			failure("%s: write at %lld returned %lld", "writer", off,
				n < 0 ? -errno : n);
			break;
		}
		w->log[w->nlog].slot = slot;
		w->log[w->nlog].start = t0;
		w->log[w->nlog].end = t1;
		w->nlog++;
		w->ops++;
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

static void *appender(void *arg)
{
	struct worker *w = arg;
	struct record r;
	int fd = open_or_fail(O_WRONLY | O_APPEND);

	while (fd >= 0 && !atomic_load(&stop) && !w->full) {
		ssize_t n;

		make_record(&r, K_APPEND, w->id, w->appended + 1, UINT64_MAX);
		n = write(fd, &r, REC);
		w->ops++;
		if (n == REC) {
			w->appended++;
		} else if (n < 0 && errno == ENOSPC) {
			/* max_size is a multiple of REC: the file is full,
			 * never cut inside a record. */
			w->full = 1;
		} else {
			failure("%s: append returned %lld (errno %lld)", "appender",
				n, n < 0 ? errno : 0);
			break;
		}
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

static void *reader(void *arg)
{
	struct worker *w = arg;
	static _Thread_local struct record buf[20];
	int fd = open_or_fail(O_RDONLY);

	while (fd >= 0 && !atomic_load(&stop)) {
		struct stat st;
		long long off, first, k;
		size_t len;
		ssize_t n;

		if (fstat(fd, &st) < 0 || st.st_size < REGION) {
			failure("%s: fstat size %lld errno %lld", "reader",
				(long long)st.st_size, errno);
			break;
		}
		off = (long long)(next_rand(&w->rng) % (uint64_t)st.st_size);
		len = 1 + next_rand(&w->rng) % sizeof(buf);
		if (next_rand(&w->rng) & 1) {
			n = pread(fd, buf, len, off);
		} else {
			if (lseek(fd, off, SEEK_SET) != off) {
				failure("%s: lseek(%lld) errno %lld", "reader", off, errno);
				break;
			}
			n = read(fd, buf, len);
		}
		w->ops++;
		if (n < 0) {
			failure("%s: read at %lld: errno %lld", "reader", off, errno);
			break;
		}
		/* Every whole record inside what was read must be valid:
		 * a read sees each write entirely or not at all. */
		first = (off + REC - 1) / REC * REC;
		for (k = first; k + REC <= off + n; k += REC) {
			const struct record *r =
				(const void *)((const char *)buf + (k - off));
			struct record copy;

			if (in_mapper_pages(k))
				continue;
			memcpy(&copy, r, sizeof(copy));
			if (!record_valid(&copy))
				failure("%s: torn or bad record at %lld (read at %lld)",
					"reader", k, off);
		}
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

/*
 * No holes (the region is written before the workers start and appends are
 * contiguous) and every write is REC bytes at a multiple of REC, so at any
 * moment the size is a multiple of REC, SEEK_DATA(x) is x and SEEK_HOLE(x)
 * is the size, which never shrinks.
 */
static void *seeker(void *arg)
{
	struct worker *w = arg;
	int fd = open_or_fail(O_RDONLY);
	long long last = REGION;

	while (fd >= 0 && !atomic_load(&stop)) {
		long long end = lseek(fd, 0, SEEK_END), x, d, h, after;
		struct stat st;

		if (end < last || end % REC) {
			failure("%s: SEEK_END %lld after %lld", "seeker", end, last);
			break;
		}
		x = (long long)(next_rand(&w->rng) % (uint64_t)end);
		d = lseek(fd, x, SEEK_DATA);
		h = lseek(fd, x, SEEK_HOLE);
		after = lseek(fd, 0, SEEK_END);
		if (d != x || h < end || h > after || h % REC) {
			failure("%s: SEEK_DATA/SEEK_HOLE(%lld) = %lld", "seeker", x,
				d != x ? d : h);
			break;
		}
		/* ENXIO at the end, unless an append just moved the end. */
		d = lseek(fd, after, SEEK_DATA);
		if (d != after && (d != -1 || errno != ENXIO)) {
			failure("%s: SEEK_DATA at the end %lld: %lld", "seeker",
				after, res(d));
			break;
		}
		if (fstat(fd, &st) < 0 || st.st_size < after || st.st_size % REC) {
			failure("%s: fstat size %lld after %lld", "seeker",
				(long long)st.st_size, after);
			break;
		}
		if (lseek(fd, -1, SEEK_CUR) != after - 1) {
			failure("%s: SEEK_CUR -1 from %lld: errno %lld", "seeker",
				after, errno);
			break;
		}
		last = after;
		w->ops += 6;
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* Checks the region: each slot holds the last write to it, whole. */
/* The mapper's state: the last record it put in each of its slots. */
struct mapper {
	pthread_t thread;
	uint64_t rng;
	uint64_t ops, stores, pwrites, loads, syncs, remaps;
	uint64_t last[MAPPER_END_SLOT - MAPPER_FIRST_SLOT];
	uint64_t seq;
};

static void *mapper(void *arg)
{
	struct mapper *mp = arg;
	size_t len = (size_t)((max_size + PAGE - 1) / PAGE * PAGE);
	int fd = open_or_fail(O_RDWR);
	struct record r, back;
	char *m = MAP_FAILED;

	if (fd >= 0)
		m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (fd >= 0 && m == MAP_FAILED)
		failure("%s: mmap of %lld bytes: errno %lld", "mapper",
			(long long)len, errno);
	while (m != MAP_FAILED && !atomic_load(&stop)) {
		uint64_t what = next_rand(&mp->rng) % 100;
		long slot = MAPPER_FIRST_SLOT + (long)(next_rand(&mp->rng) %
			(MAPPER_END_SLOT - MAPPER_FIRST_SLOT));
		long long off = (long long)slot * REC;
		struct stat st;

		mp->ops++;
		if (what < 60) {
			/* A store through the mapping; read(2) sees it. */
			make_record(&r, K_MAP, 0, ++mp->seq, (uint64_t)off);
			memcpy(m + off, &r, REC);
			mp->last[slot - MAPPER_FIRST_SLOT] = mp->seq;
			mp->stores++;
			if (pread(fd, &back, REC, off) != REC ||
			    memcmp(&back, &r, REC))
				failure("%s: pread at %lld does not return the store just made (seq %lld)",
					"mapper", off, (long long)mp->seq);
		} else if (what < 80) {
			/* A write; the mapping shows it. */
			make_record(&r, K_MAP, 0, ++mp->seq, (uint64_t)off);
			if (pwrite(fd, &r, REC, off) != REC) {
				failure("%s: pwrite at %lld: errno %lld", "mapper",
					off, errno);
				break;
			}
			mp->last[slot - MAPPER_FIRST_SLOT] = mp->seq;
			mp->pwrites++;
			memcpy(&back, m + off, REC);
			if (memcmp(&back, &r, REC))
				failure("%s: the mapping at %lld does not show the write just made (seq %lld)",
					"mapper", off, (long long)mp->seq);
		} else if (what < 90) {
			/* An appended record, loaded through the mapping. */
			if (fstat(fd, &st) || st.st_size < REGION + REC)
				continue;
			off = REGION + (long long)(next_rand(&mp->rng) %
				(uint64_t)((st.st_size - REGION) / REC)) * REC;
			memcpy(&back, m + off, REC);
			mp->loads++;
			if (!record_valid(&back) || back.kind != K_APPEND)
				failure("%s: appended record at %lld torn or bad through the mapping (size %lld)",
					"mapper", off, (long long)st.st_size);
		} else if (what < 95) {
			mp->syncs++;
			if (msync(m + MAP_START, MAP_END - MAP_START,
				  what & 1 ? MS_SYNC : MS_ASYNC))
				failure("%s: msync of %lld bytes: errno %lld", "mapper",
					MAP_END - MAP_START, errno);
		} else {
			mp->remaps++;
			munmap(m, len);
			m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
				 fd, 0);
			if (m == MAP_FAILED)
				failure("%s: mmap of %lld bytes again: errno %lld",
					"mapper", (long long)len, errno);
		}
	}
	if (m != MAP_FAILED)
		munmap(m, len);
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* Each of the mapper's records holds the last one it put there. */
static long check_mapper(int fd, const struct mapper *mp)
{
	long bad = 0, slot;

	for (slot = MAPPER_FIRST_SLOT; slot < MAPPER_END_SLOT; slot++) {
		uint64_t want = mp->last[slot - MAPPER_FIRST_SLOT];
		struct record r;

		if (pread(fd, &r, REC, (off_t)slot * REC) != REC ||
		    !record_valid(&r) ||
		    r.kind != (want ? K_MAP : K_INIT) || r.seq != want) {
			if (bad++ < 10)
				diag("mapper slot %ld: not its last record (seq %llu)",
				     slot, (unsigned long long)want);
		}
	}
	return bad;
}

static long check_region(int fd, struct worker *ws, int nw, long *written)
{
	uint64_t *latest_start = calloc(NSLOTS, sizeof(*latest_start));
	long bad = 0, slot;
	int i;
	size_t k;

	if (!latest_start)
		return 1;
	*written = 0;
	for (i = 0; i < nw; i++)
		for (k = 0; k < ws[i].nlog; k++) {
			struct logent *e = &ws[i].log[k];

			if (e->start > latest_start[e->slot])
				latest_start[e->slot] = e->start;
			(*written)++;
		}
	for (slot = 0; slot < NSLOTS; slot++) {
		struct record r;
		long long off = (long long)slot * REC;
		struct logent *e;

		/* The mapper's pages: check_mapper(). */
		if (in_mapper_pages(off))
			continue;
		if (pread(fd, &r, REC, off) != REC || !record_valid(&r) ||
		    r.off != (uint64_t)off) {
			if (bad++ < 10)
				diag("slot %ld: torn, foreign or short record", slot);
			continue;
		}
		if (r.kind == K_INIT) {
			if (latest_start[slot]) {
				if (bad++ < 10)
					diag("slot %ld: lost write: initial record left", slot);
			}
			continue;
		}
		if (r.kind != K_WRITE || r.id >= nw || r.seq == 0 ||
		    r.seq > ws[r.id].nlog ||
		    ws[r.id].log[r.seq - 1].slot != (uint32_t)slot) {
			if (bad++ < 10)
				diag("slot %ld: record of writer %u seq %llu was never written here",
				     slot, r.id, (unsigned long long)r.seq);
			continue;
		}
		e = &ws[r.id].log[r.seq - 1];
		if (latest_start[slot] > e->end) {
			if (bad++ < 10)
				diag("slot %ld: lost write: a write started %llu ns after writer %u seq %llu ended",
				     slot,
				     (unsigned long long)(latest_start[slot] - e->end),
				     r.id, (unsigned long long)r.seq);
		}
	}
	free(latest_start);
	return bad;
}

/* Checks the appended records: all there, once, in each appender's order. */
static long check_appends(int fd, struct worker *as, int na, long long size,
			  uint64_t *total)
{
	uint64_t next[MAX_THREADS];
	long long off;
	long bad = 0;
	int i;

	*total = 0;
	for (i = 0; i < na; i++) {
		next[i] = 1;
		*total += as[i].appended;
	}
	if (size != REGION + (long long)*total * REC) {
		diag("size %lld, expected %lld for %llu appends: appends lost or torn",
		     size, REGION + (long long)*total * REC,
		     (unsigned long long)*total);
		bad++;
	}
	for (off = REGION; off + REC <= size; off += REC) {
		struct record r;

		if (pread(fd, &r, REC, off) != REC || !record_valid(&r) ||
		    r.kind != K_APPEND || r.id >= na || r.seq != next[r.id]) {
			if (bad++ < 10)
				diag("append at %lld: torn, duplicated or out of order", off);
			continue;
		}
		next[r.id]++;
	}
	for (i = 0; i < na; i++)
		if (next[i] != as[i].appended + 1) {
			diag("appender %d: %llu of %llu appends found", i,
			     (unsigned long long)(next[i] - 1),
			     (unsigned long long)as[i].appended);
			bad++;
		}
	return bad;
}

int run_stress(int argc, char **argv)
{
	int nr = 2, nw = 2, na = 2, ns = 1, nm = !linux_6_12(), secs = 10;
	int opt, fd, i;
	static struct mapper mp;
	long bad_mapper = 0;
	struct worker ws[MAX_THREADS], as[MAX_THREADS], rs[MAX_THREADS],
		ss[MAX_THREADS];
	uint64_t ops_w = 0, ops_a = 0, ops_r = 0, ops_s = 0, appends = 0;
	long bad_region, bad_append, written = 0;
	long long size;
	double t0, elapsed;
	struct record r;

	while ((opt = getopt(argc, argv, "r:w:a:s:m:t:")) != -1) {
		switch (opt) {
		case 'r': nr = atoi(optarg); break;
		case 'w': nw = atoi(optarg); break;
		case 'a': na = atoi(optarg); break;
		case 's': ns = atoi(optarg); break;
		case 'm': nm = atoi(optarg); break;
		case 't': secs = atoi(optarg); break;
		default: return 2;
		}
	}
	if (nr < 0 || nw < 0 || na < 0 || ns < 0 || nr > MAX_THREADS ||
	    nw > MAX_THREADS || na > MAX_THREADS || ns > MAX_THREADS ||
	    nm < 0 || nm > 1 || secs < 1) {
		fprintf(stderr, "stress: 0 to %d threads of each kind, 0 or 1 mapper, secs >= 1\n",
			MAX_THREADS);
		return 2;
	}
	ktap_plan("stress", 5);
	max_size = read_max_size();
	if (max_size < REGION + REC || max_size % REC) {
		diag("module max_size %lld: need a multiple of %d above %lld",
		     max_size, REC, REGION);
		ktap_result(0, "stress_setup");
		ktap_result(0, "stress_run # SKIP no setup");
		ktap_result(0, "stress_region_no_lost_or_torn_write # SKIP no setup");
		ktap_result(0, "stress_appends_all_present # SKIP no setup");
		ktap_result(0, "stress_mapped_pages_coherent # SKIP no setup");
		return 1;
	}
	/* Empty the file and fill the region with initial records, so that
	 * appends start after it and readers never see a hole. */
	fd = open(path, O_RDWR | O_TRUNC);
	for (i = 0; fd >= 0 && i < NSLOTS; i++) {
		make_record(&r, K_INIT, 0, 0, (uint64_t)i * REC);
		if (pwrite(fd, &r, REC, (off_t)i * REC) != REC)
			break;
	}
	ktap_result(fd >= 0 && i == NSLOTS, "stress_setup");
	if (fd < 0 || i != NSLOTS)
		return 1;

	diag("%d readers, %d writers, %d appenders, %d seekers, %d mapper, %d s, max_size %lld",
	     nr, nw, na, ns, nm, secs, max_size);
	memset(ws, 0, sizeof(ws));
	memset(as, 0, sizeof(as));
	memset(rs, 0, sizeof(rs));
	memset(ss, 0, sizeof(ss));
	t0 = now_s();
	for (i = 0; i < nw; i++) {
		ws[i].id = i;
		ws[i].rng = 0x1234567ULL + (uint64_t)i * 7919;
		pthread_create(&ws[i].thread, NULL, writer, &ws[i]);
	}
	for (i = 0; i < na; i++) {
		as[i].id = i;
		pthread_create(&as[i].thread, NULL, appender, &as[i]);
	}
	for (i = 0; i < nr; i++) {
		rs[i].rng = 0xabcdefULL + (uint64_t)i * 104729;
		pthread_create(&rs[i].thread, NULL, reader, &rs[i]);
	}
	for (i = 0; i < ns; i++) {
		ss[i].rng = 0x5555ULL + (uint64_t)i * 31;
		pthread_create(&ss[i].thread, NULL, seeker, &ss[i]);
	}
	mp.rng = 0x77777ULL;
	if (nm)
		pthread_create(&mp.thread, NULL, mapper, &mp);
	while (!atomic_load(&stop) && now_s() - t0 < secs)
		usleep(100000);
	atomic_store(&stop, 1);
	for (i = 0; i < nw; i++) {
		pthread_join(ws[i].thread, NULL);
		ops_w += ws[i].ops;
	}
	for (i = 0; i < na; i++) {
		pthread_join(as[i].thread, NULL);
		ops_a += as[i].ops;
	}
	for (i = 0; i < nr; i++) {
		pthread_join(rs[i].thread, NULL);
		ops_r += rs[i].ops;
	}
	for (i = 0; i < ns; i++) {
		pthread_join(ss[i].thread, NULL);
		ops_s += ss[i].ops;
	}
	if (nm)
		pthread_join(mp.thread, NULL);
	elapsed = now_s() - t0;
	diag("ops: %llu total in %.1f s (writes %llu, appends %llu, reads %llu, seeks/stats %llu)",
	     (unsigned long long)(ops_w + ops_a + ops_r + ops_s), elapsed,
	     (unsigned long long)ops_w, (unsigned long long)ops_a,
	     (unsigned long long)ops_r, (unsigned long long)ops_s);
	ktap_result(atomic_load(&failures) == 0, "stress_run");

	bad_region = check_region(fd, ws, nw, &written);
	ktap_result(bad_region == 0, "stress_region_no_lost_or_torn_write");
	diag("region: %ld writes checked against %d slots, %ld bad", written,
	     NSLOTS, bad_region);

	size = lseek(fd, 0, SEEK_END);
	bad_append = check_appends(fd, as, na, size, &appends);
	ktap_result(bad_append == 0, "stress_appends_all_present");
	diag("appends: %llu records, file %lld bytes%s, %ld bad",
	     (unsigned long long)appends, size,
	     size >= max_size ? " (full: appenders stopped at ENOSPC)" : "",
	     bad_append);
	if (nm) {
		bad_mapper = check_mapper(fd, &mp);
		diag("mapper: %llu ops (stores %llu, pwrites %llu, loads of appends %llu, msync %llu, remaps %llu), %ld bad records",
		     (unsigned long long)mp.ops, (unsigned long long)mp.stores,
		     (unsigned long long)mp.pwrites, (unsigned long long)mp.loads,
		     (unsigned long long)mp.syncs, (unsigned long long)mp.remaps,
		     bad_mapper);
		ktap_result(bad_mapper == 0 && mp.stores > 0 && mp.pwrites > 0,
			    "stress_mapped_pages_coherent");
	} else {
		ktap_result(1, "stress_mapped_pages_coherent # SKIP no mapper%s",
			    linux_6_12() ? " (no mmap on Linux 6.12)" : "");
	}
	for (i = 0; i < nw; i++)
		free(ws[i].log);
	close(fd);
	return ktap_failed();
}
