// SPDX-License-Identifier: GPL-2.0
/*
 * cfile: the C twin of rustprocfile, for benchmarks.
 *
 * Creates /proc/<name> (default "cfile"), a file with the semantics of
 * /proc/rustfile: sparse 4 KiB chunks allocated on first write and indexed
 * by a 64-way radix tree, a size cap (max_size: ENOSPC at or past it, a
 * write crossing it is cut short), truncate(), ftruncate() and O_TRUNC
 * through ->proc_truncate (EFBIG past max_size), O_APPEND, SEEK_DATA and
 * SEEK_HOLE.
 *
 * It has the module's design, so that the two cost the same work:
 *
 * - Chunks are reference counted. A reader takes references to the chunks
 *   it needs under the content lock, up to CF_READ_BATCH at a time, and
 *   copies to user space with no lock held, so a reader whose buffer faults
 *   slowly (FUSE, userfaultfd) holds up nobody.
 * - A writer holds the writer lock, which serialises writes and truncates
 *   as the inode lock of a regular file does. It copies up to two chunks'
 *   worth from user space into a bounce buffer with no content lock held,
 *   then commits both chunks under one content lock: in place if no reader
 *   holds the chunk, else into a copy. A fault leaves the file as it was
 *   before the faulting chunk.
 * - Memory is charged to the writer's memory cgroup (GFP_KERNEL_ACCOUNT).
 * - max_size is at most procfs's largest file size, MAX_NON_LFS, which
 *   truncate() enforces; writes stop there too, and at RLIMIT_FSIZE
 *   (generic_write_check_limits()).
 * - A name that is taken in /proc fails with EEXIST (proc_entry_exists(),
 *   a patch of both kernel series).
 *
 * On each kernel series it does what the module does there. On 6.18 it
 * reads through ->proc_read_iter and publishes every size change with
 * proc_file_set_size() under the content lock (kernel patch 0005 of the
 * 6.18 series), and the file can be mapped (patch 0009): its chunks are
 * pages, which ->proc_fault maps under the content lock (allocating holes),
 * a mapped chunk is written in place even while a reader holds it, and a
 * truncate unmaps what it cuts off with proc_file_unmap(). On 6.12 it
 * reads through ->proc_read, and writes take the inode lock first to
 * publish the size with i_size_write() and proc_set_size(); its chunks
 * are kmalloc()ed.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/proc_fs.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/version.h>

/* The 6.18 series of kernel patches, see the comment at the top. */
#define CF_LINUX_6_18	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 18, 0))

#define CF_CHUNK_SIZE	4096
#define CF_SHIFT	6
#define CF_FANOUT	BIT(CF_SHIFT)
#define CF_MAX_LEVELS	11
#define CF_READ_BATCH	16
#define CF_PROC_LIMIT	((u64)MAX_NON_LFS)
#define CF_FS_LIMIT	((u64)MAX_LFS_FILESIZE)

static char *name = "cfile";
module_param(name, charp, 0444);
MODULE_PARM_DESC(name, "Name of the file in /proc");

static ushort mode = 0644;
module_param(mode, ushort, 0444);
MODULE_PARM_DESC(mode, "Permissions of the file (1 to 0777)");

static unsigned long long max_size = 1048576;
module_param(max_size, ullong, 0444);
MODULE_PARM_DESC(max_size, "Maximum size of the file in bytes");

/*
 * A chunk of file data, shared by the file and the readers copying from
 * it, and freed with its last reference. Written in place only while the
 * file holds the only reference.
 */
struct cf_chunk {
	refcount_t ref;
	u8 *data;
#if CF_LINUX_6_18
	struct page *page;	/* of data; mappings hold their own references */
#endif
};

/*
 * A node of level h covers CF_FANOUT^(h + 1) chunks. Slots of level 0 nodes
 * point to chunks, slots of higher nodes to nodes one level down. count is
 * the number of chunks below the node; it is never zero for a node
 * reachable from the root.
 */
struct cf_node {
	u64 count;
	void *slots[CF_FANOUT];
};

/*
 * Two locks, as the Rust module has: wlock serialises writes and size
 * changes and is held across a writer's copy from user space; lock is held
 * only to look chunks up or commit them, never across a user copy. Order:
 * (the inode lock on 6.12,) wlock, lock.
 */
struct cf_file {
	struct mutex wlock;		/* serialises writers and truncate */
	u8 *bounce;			/* two chunks; under wlock */
	struct mutex lock;		/* the fields below */
	struct cf_node *root;		/* of level levels - 1; NULL if empty */
	unsigned int levels;
	u64 size;
	struct proc_dir_entry *pde;	/* set under lock once created */
};

static struct cf_file cf;

static unsigned int cf_slot(u64 idx, unsigned int level)
{
	return (idx >> (level * CF_SHIFT)) & (CF_FANOUT - 1);
}

static u64 cf_span(unsigned int level)
{
	return 1ULL << (level * CF_SHIFT);
}

static struct cf_chunk *cf_chunk_new(void)
{
	struct cf_chunk *c = kmalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);

	if (!c)
		return NULL;
#if CF_LINUX_6_18
	c->page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	c->data = c->page ? page_address(c->page) : NULL;
#else
	c->data = kzalloc(CF_CHUNK_SIZE, GFP_KERNEL_ACCOUNT);
#endif
	if (!c->data) {
		kfree(c);
		return NULL;
	}
	refcount_set(&c->ref, 1);
	return c;
}

static struct cf_chunk *cf_chunk_get(struct cf_chunk *c)
{
	if (c)
		refcount_inc(&c->ref);
	return c;
}

static void cf_chunk_put(struct cf_chunk *c)
{
	if (c && refcount_dec_and_test(&c->ref)) {
#if CF_LINUX_6_18
		__free_page(c->page);
#else
		kfree(c->data);
#endif
		kfree(c);
	}
}

/*
 * Whether the file may write @c in place: it holds the only reference, or
 * the chunk is mapped into user space, where a copy would leave the
 * mappings with the old page and lose what is stored there. Called under
 * cf.lock, where no reference can be taken and no page mapped; the acquire
 * orders the copies of readers that dropped theirs before the writes that
 * follow.
 */
static bool cf_chunk_unshared(struct cf_chunk *c)
{
#if CF_LINUX_6_18
	if (page_mapped(c->page))
		return true;
#endif
	return atomic_read_acquire(&c->ref.refs) == 1;
}

/* Frees what a slot of a node of level @level points to. */
static void cf_free_slot(void *p, unsigned int level)
{
	struct cf_node *node = p;
	unsigned int s;

	if (!p)
		return;
	if (!level) {
		cf_chunk_put(p);
		return;
	}
	for (s = 0; s < CF_FANOUT; s++)
		cf_free_slot(node->slots[s], level - 1);
	kfree(node);
}

static void cf_clear(void)
{
	if (cf.root)
		cf_free_slot(cf.root, cf.levels);
	cf.root = NULL;
	cf.size = 0;
}

/* The chunk with index @idx, or NULL for a hole. */
static struct cf_chunk *cf_chunk_at(u64 idx)
{
	struct cf_node *node = cf.root;
	unsigned int level = cf.levels - 1;
	void *p;

	if (!node)
		return NULL;
	for (;;) {
		p = node->slots[cf_slot(idx, level)];
		if (!p || !level)
			return p;
		node = p;
		level--;
	}
}

/*
 * Builds what a slot of a node of level @level holds for chunk @idx: a new
 * zeroed chunk and the nodes above it, bottom-up, so that a failure frees
 * the partial chain.
 */
static void *cf_new_chain(unsigned int level, u64 idx)
{
	struct cf_node *node;
	unsigned int l;
	void *p;

	p = cf_chunk_new();
	if (!p)
		return NULL;
	for (l = 0; l < level; l++) {
		node = kzalloc(sizeof(*node), GFP_KERNEL_ACCOUNT);
		if (!node) {
			cf_free_slot(p, l);
			return NULL;
		}
		node->count = 1;
		node->slots[cf_slot(idx, l)] = p;
		p = node;
	}
	return p;
}

/*
 * The slot of chunk @idx, the chunk allocated first if needed; NULL if out
 * of memory.
 */
static struct cf_chunk **cf_slot_mut(u64 idx)
{
	struct cf_node *path[CF_MAX_LEVELS];
	unsigned int level = cf.levels - 1;
	unsigned int depth = 0;
	struct cf_node *node;
	void **slot;
	void *p;

	if (!cf.root) {
		cf.root = kzalloc(sizeof(*cf.root), GFP_KERNEL_ACCOUNT);
		if (!cf.root)
			return NULL;
	}
	node = cf.root;
	for (;;) {
		path[depth++] = node;
		slot = &node->slots[cf_slot(idx, level)];
		if (!*slot)
			break;
		if (!level)
			return (struct cf_chunk **)slot;
		node = *slot;
		level--;
	}
	p = cf_new_chain(level, idx);
	if (!p) {
		if (!cf.root->count) {
			kfree(cf.root);
			cf.root = NULL;
		}
		return NULL;
	}
	*slot = p;
	while (depth)
		path[--depth]->count++;
	for (; level; level--)
		slot = &((struct cf_node *)*slot)->slots[cf_slot(idx, level - 1)];
	return (struct cf_chunk **)slot;
}

/*
 * The data of the chunk in @slot for writing: in place if no reader holds
 * it, else in a new chunk that replaces it in the file (@keep: with a copy
 * of its content) while the readers finish with the old one. NULL if out
 * of memory.
 */
static u8 *cf_data_mut(struct cf_chunk **slot, bool keep)
{
	struct cf_chunk *copy;

	if (cf_chunk_unshared(*slot))
		return (*slot)->data;
	copy = cf_chunk_new();
	if (!copy)
		return NULL;
	if (keep)
		memcpy(copy->data, (*slot)->data, CF_CHUNK_SIZE);
	cf_chunk_put(*slot);
	*slot = copy;
	return copy->data;
}

/* First allocated chunk at or after @idx below @node (level, first chunk). */
static bool cf_next_data(struct cf_node *node, unsigned int level, u64 base,
			 u64 idx, u64 *found)
{
	u64 span = cf_span(level);
	unsigned int s;

	for (s = cf_slot(idx, level); s < CF_FANOUT; s++) {
		u64 sbase = base + s * span;
		u64 from = max(idx, sbase);

		if (!node->slots[s])
			continue;
		if (!level) {
			*found = from;
			return true;
		}
		if (cf_next_data(node->slots[s], level - 1, sbase, from, found))
			return true;
	}
	return false;
}

/* First unallocated chunk at or after @idx below @node. */
static bool cf_next_hole(struct cf_node *node, unsigned int level, u64 base,
			 u64 idx, u64 *found)
{
	unsigned int first = cf_slot(idx, level);
	u64 span = cf_span(level);
	struct cf_node *child;
	unsigned int s;

	for (s = first; s < CF_FANOUT; s++) {
		u64 sbase = base + s * span;
		u64 from = max(idx, sbase);

		child = node->slots[s];
		if (!child) {
			*found = from;
			return true;
		}
		if (!level)
			continue;
		/* a full subtree has no hole */
		if (s != first && child->count == span)
			continue;
		if (cf_next_hole(child, level - 1, sbase, from, found))
			return true;
	}
	return false;
}

/*
 * Frees the chunks with index @first and above below @node (of level
 * @level, first chunk @base) and the nodes this leaves empty; returns the
 * number of chunks freed.
 */
static u64 cf_free_from(struct cf_node *node, unsigned int level, u64 base,
			u64 first)
{
	u64 span = cf_span(level);
	u64 freed = 0, n;
	unsigned int s;

	for (s = 0; s < CF_FANOUT; s++) {
		u64 sbase = base + s * span;
		struct cf_node *child = node->slots[s];

		if (!child || sbase + span <= first)
			continue;
		if (!level || sbase >= first) {
			n = level ? child->count : 1;
			cf_free_slot(child, level);
			node->slots[s] = NULL;
		} else {
			n = cf_free_from(child, level - 1, sbase, first);
			if (!child->count) {
				kfree(child);
				node->slots[s] = NULL;
			}
		}
		node->count -= n;
		freed += n;
	}
	return freed;
}

/*
 * Sets the size to @size: chunks past it are freed and the rest of the
 * last chunk is zeroed (in a copy if a reader holds it), so that growing
 * the file again shows zeros. On failure the file is unchanged.
 */
static int cf_resize(u64 size)
{
	size_t off = size % CF_CHUNK_SIZE;
	struct cf_chunk **tail;
	u8 *data;

	if (size > max_size)
		return -EFBIG;
	if (!size) {
		cf_clear();
		return 0;
	}
	if (size < cf.size) {
		tail = off && cf_chunk_at(size / CF_CHUNK_SIZE) ?
		       cf_slot_mut(size / CF_CHUNK_SIZE) : NULL;
		if (tail) {
			data = cf_data_mut(tail, true);
			if (!data)
				return -ENOMEM;
			memset(data + off, 0, CF_CHUNK_SIZE - off);
		}
		if (cf.root) {
			cf_free_from(cf.root, cf.levels - 1, 0,
				     DIV_ROUND_UP_ULL(size, CF_CHUNK_SIZE));
			if (!cf.root->count) {
				kfree(cf.root);
				cf.root = NULL;
			}
		}
	}
	cf.size = size;
	return 0;
}

/*
 * Publishes the size to stat() and to inodes created later. The caller
 * holds cf.lock, so that published sizes follow the order of the changes;
 * on 6.12 it also holds the inode lock, which orders i_size_write().
 */
static void cf_set_size(struct inode *inode, u64 size)
{
#if CF_LINUX_6_18
	proc_file_set_size(inode, size);
#else
	i_size_write(inode, size);
	if (cf.pde)
		proc_set_size(cf.pde, size);
#endif
}

/*
 * ->proc_truncate (kernel patch 0005 on 6.18, 0003 on 6.12): truncate(),
 * ftruncate() and open(O_TRUNC). Called with the inode lock held. On 6.12
 * procfs publishes the size when this succeeds; on 6.18 the driver does.
 */
static int cf_proc_truncate(struct inode *inode, loff_t size)
{
	int ret;

	mutex_lock(&cf.wlock);
	mutex_lock(&cf.lock);
	ret = cf_resize(size);
#if CF_LINUX_6_18
	if (!ret)
		cf_set_size(inode, cf.size);
#endif
	mutex_unlock(&cf.lock);
#if CF_LINUX_6_18
	/* Faults map pages under cf.lock: none of those cut off comes back. */
	if (!ret)
		proc_file_unmap(inode, round_up(size, PAGE_SIZE));
#endif
	mutex_unlock(&cf.wlock);
	return ret;
}

#if CF_LINUX_6_18
/* A page of a mapping is a chunk: one to one only with 4 KiB pages. */
static int cf_proc_mmap(struct file *file, struct vm_area_struct *vma)
{
	return ilog2(CF_CHUNK_SIZE) == PAGE_SHIFT ? 0 : -ENODEV;
}

/*
 * ->proc_fault (kernel patch 0009): maps the chunk of the faulting page,
 * allocated if it is a hole, under cf.lock; SIGBUS for a page wholly past
 * the end.
 */
static vm_fault_t cf_proc_fault(struct vm_fault *vmf)
{
	vm_fault_t ret = VM_FAULT_SIGBUS;
	struct cf_chunk **slot;
	int err;

	mutex_lock(&cf.lock);
	if (vmf->pgoff < DIV_ROUND_UP_ULL(cf.size, CF_CHUNK_SIZE)) {
		slot = cf_slot_mut(vmf->pgoff);
		if (!slot) {
			ret = VM_FAULT_OOM;
		} else {
			err = vm_insert_page(vmf->vma, vmf->address,
					     (*slot)->page);
			ret = !err || err == -EBUSY ? VM_FAULT_NOPAGE :
						      vmf_error(err);
		}
	}
	mutex_unlock(&cf.lock);
	return ret;
}
#endif

/* Where read data goes: an iov_iter on 6.18, a user buffer on 6.12. */
struct cf_sink {
#if CF_LINUX_6_18
	struct iov_iter *to;
#else
	char __user *buf;
#endif
};

/*
 * Copies @len bytes at @off of @c (zeros for a hole) to @dst; false if the
 * user memory faults.
 */
static bool cf_copy_out(struct cf_sink *dst, const struct cf_chunk *c,
			size_t off, size_t len)
{
#if CF_LINUX_6_18
	size_t copied;

	if (c)
		copied = copy_to_iter(c->data + off, len, dst->to);
	else
		copied = iov_iter_zero(len, dst->to);
	return copied == len;
#else
	unsigned long left;

	if (c)
		left = copy_to_user(dst->buf, c->data + off, len);
	else
		left = clear_user(dst->buf, len);
	dst->buf += len;
	return !left;
#endif
}

/* Bytes a read of @count at @pos returns now. Called under cf.lock. */
static size_t cf_readable(u64 pos, size_t count)
{
	return pos >= cf.size ? 0 : min_t(u64, cf.size - pos, count);
}

/*
 * Takes references to the chunks of the bytes from @at to @end (or the end
 * of the file if that comes first), at most CF_READ_BATCH chunks, into
 * @batch (NULL for holes); returns the number of bytes they cover. Called
 * under cf.lock.
 */
static u64 cf_collect(u64 at, u64 end, struct cf_chunk **batch)
{
	u64 first = at / CF_CHUNK_SIZE, idx, n;

	end = min(end, cf.size);
	if (at >= end)
		return 0;
	n = min_t(u64, end - at,
		  CF_READ_BATCH * CF_CHUNK_SIZE - at % CF_CHUNK_SIZE);
	for (idx = first; idx <= (at + n - 1) / CF_CHUNK_SIZE; idx++)
		batch[idx - first] = cf_chunk_get(cf_chunk_at(idx));
	return n;
}

/*
 * Reads up to @count bytes at *@ppos into @dst and advances *@ppos. The
 * chunks are looked up under cf.lock and copied with it released; a fault
 * returns the bytes copied before the faulting chunk, or -EFAULT.
 */
static ssize_t cf_do_read(loff_t *ppos, size_t count, struct cf_sink *dst)
{
	struct cf_chunk *batch[CF_READ_BATCH], *c;
	loff_t pos = *ppos;
	u64 at, end, batch_end;
	size_t off, len, total;
	unsigned int i, n;

	if (pos < 0)
		return -EINVAL;
	off = pos % CF_CHUNK_SIZE;
	if (count <= CF_CHUNK_SIZE - off) {
		/* Within one chunk, as most requests are: one reference. */
		mutex_lock(&cf.lock);
		total = cf_readable(pos, count);
		c = total ? cf_chunk_get(cf_chunk_at(pos / CF_CHUNK_SIZE)) :
			    NULL;
		mutex_unlock(&cf.lock);
		if (!total)
			return 0;
		if (!cf_copy_out(dst, c, off, total)) {
			cf_chunk_put(c);
			return -EFAULT;
		}
		cf_chunk_put(c);
		*ppos = pos + total;
		return total;
	}
	/* pos is at most LLONG_MAX and count MAX_RW_COUNT: no overflow. */
	end = pos + count;
	at = pos;
	while (at < end) {
		mutex_lock(&cf.lock);
		batch_end = at + cf_collect(at, end, batch);
		mutex_unlock(&cf.lock);
		if (batch_end == at)
			break;
		n = DIV_ROUND_UP_ULL(batch_end - at + at % CF_CHUNK_SIZE,
				     CF_CHUNK_SIZE);
		for (i = 0; i < n; i++) {
			off = at % CF_CHUNK_SIZE;
			len = min_t(u64, CF_CHUNK_SIZE - off, batch_end - at);
			if (!cf_copy_out(dst, batch[i], off, len)) {
				while (i < n)
					cf_chunk_put(batch[i++]);
				if (at == pos)
					return -EFAULT;
				goto out;
			}
			cf_chunk_put(batch[i]);
			at += len;
		}
	}
out:
	*ppos = at;
	return at - pos;
}

#if CF_LINUX_6_18
static ssize_t cf_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct cf_sink dst = { .to = to };

	return cf_do_read(&iocb->ki_pos, iov_iter_count(to), &dst);
}
#else
static ssize_t cf_read(struct file *file, char __user *buf, size_t count,
		       loff_t *ppos)
{
	struct cf_sink dst = { .buf = buf };

	return cf_do_read(ppos, count, &dst);
}
#endif

/*
 * How many of @count bytes at @start the caller's limits allow, as for a
 * regular file: RLIMIT_FSIZE (SIGXFSZ and EFBIG) and procfs's largest file
 * size.
 */
static int cf_write_limits(struct file *file, u64 start, size_t *count)
{
	loff_t allowed = *count;
	int ret;

	ret = generic_write_check_limits(file, start, &allowed);
	if (ret)
		return ret;
	*count = allowed;
	return 0;
}

/*
 * Where a write of @count bytes at *@ppos (the end with O_APPEND) goes and
 * how many of its bytes, in the order tmpfs checks: the largest file size
 * (EFBIG), the caller's limits, then max_size (ENOSPC at or past it, cut
 * short across it). Called under cf.lock.
 */
static int cf_write_span(struct file *file, loff_t pos, bool append,
			 size_t *count, u64 *start)
{
	int ret;

	if (!append && pos < 0)
		return -EINVAL;
	*start = append ? cf.size : pos;
	if (*start >= CF_FS_LIMIT)
		return -EFBIG;
	ret = cf_write_limits(file, *start, count);
	if (ret)
		return ret;
	if (*start >= max_size)
		return -ENOSPC;
	*count = min_t(u64, max_size - *start, *count);
	return 0;
}

/*
 * Copies @len bytes of @src, which lie within one chunk, to @at; on
 * failure (-ENOMEM) the file is unchanged. Called under cf.lock.
 */
static int cf_commit(u64 at, const u8 *src, size_t len)
{
	struct cf_chunk **slot = cf_slot_mut(at / CF_CHUNK_SIZE);
	u8 *data;

	if (!slot)
		return -ENOMEM;
	/* A chunk wholly overwritten need not keep its old content. */
	data = cf_data_mut(slot, len != CF_CHUNK_SIZE);
	if (!data)
		return -ENOMEM;
	memcpy(data + at % CF_CHUNK_SIZE, src, len);
	cf.size = max(cf.size, at + len);
	return 0;
}

static ssize_t cf_write(struct file *file, const char __user *buf,
			size_t count, loff_t *ppos)
{
	bool append = READ_ONCE(file->f_flags) & O_APPEND;
	struct inode *inode = file_inode(file);
	size_t done = 0, first, second;
	u64 start, at, old_size;
	ssize_t ret;
	int err = 0;

	if (!count)
		return 0;
	if (!CF_LINUX_6_18)
		inode_lock(inode);
	mutex_lock(&cf.wlock);
	mutex_lock(&cf.lock);
	ret = cf_write_span(file, *ppos, append, &count, &start);
	mutex_unlock(&cf.lock);
	if (ret)
		goto out;
	if (!cf.bounce) {
		cf.bounce = kzalloc(2 * CF_CHUNK_SIZE, GFP_KERNEL_ACCOUNT);
		if (!cf.bounce) {
			ret = -ENOMEM;
			goto out;
		}
	}
	while (done < count && !err) {
		at = start + done;
		first = min_t(size_t, CF_CHUNK_SIZE - at % CF_CHUNK_SIZE,
			      count - done);
		second = min_t(size_t, CF_CHUNK_SIZE, count - done - first);
		if (copy_from_user(cf.bounce, buf + done, first)) {
			err = -EFAULT;
			break;
		}
		/* A fault in the second chunk still commits the first. */
		if (second &&
		    copy_from_user(cf.bounce + first, buf + done + first,
				   second)) {
			err = -EFAULT;
			second = 0;
		}
		mutex_lock(&cf.lock);
		old_size = cf.size;
		ret = cf_commit(at, cf.bounce, first);
		if (!ret) {
			done += first;
			if (second) {
				ret = cf_commit(at + first, cf.bounce + first,
						second);
				if (!ret)
					done += second;
			}
		}
		if (ret)
			err = ret;
		if (cf.size != old_size)
			cf_set_size(inode, cf.size);
		mutex_unlock(&cf.lock);
	}
	if (done) {
		*ppos = start + done;
		ret = done;
	} else {
		ret = err;
	}
out:
	mutex_unlock(&cf.wlock);
	if (!CF_LINUX_6_18)
		inode_unlock(inode);
	return ret;
}

static loff_t cf_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t size, new;
	u64 start, idx;

	mutex_lock(&cf.lock);
	size = cf.size;
	switch (whence) {
	case SEEK_SET:
		new = offset;
		break;
	case SEEK_CUR:
		if (!offset) {
			new = file->f_pos;
			goto out;
		}
		if (check_add_overflow(file->f_pos, offset, &new))
			new = -EINVAL;
		break;
	case SEEK_END:
		if (check_add_overflow(size, offset, &new))
			new = -EINVAL;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		if (offset < 0 || offset >= size) {
			new = -ENXIO;
			goto out;
		}
		start = offset;
		if (whence == SEEK_DATA) {
			if (!cf.root ||
			    !cf_next_data(cf.root, cf.levels - 1, 0,
					  start / CF_CHUNK_SIZE, &idx) ||
			    max(start, idx * CF_CHUNK_SIZE) >= size) {
				new = -ENXIO;
				goto out;
			}
			new = max(start, idx * CF_CHUNK_SIZE);
		} else {
			idx = start / CF_CHUNK_SIZE;
			if (cf.root &&
			    !cf_next_hole(cf.root, cf.levels - 1, 0, idx, &idx))
				idx = cf_span(cf.levels);
			if (idx > U64_MAX / CF_CHUNK_SIZE)
				idx = U64_MAX;
			else
				idx *= CF_CHUNK_SIZE;
			new = min_t(u64, max(start, idx), size);
		}
		break;
	default:
		new = -EINVAL;
		goto out;
	}
	if (new < 0 || (u64)new > CF_FS_LIMIT) {
		new = -EINVAL;
		goto out;
	}
	file->f_pos = new;
out:
	mutex_unlock(&cf.lock);
	return new;
}

static const struct proc_ops cf_ops = {
#if CF_LINUX_6_18
	.proc_read_iter	= cf_read_iter,
#else
	.proc_read	= cf_read,
#endif
	.proc_write	= cf_write,
	.proc_lseek	= cf_llseek,
	.proc_truncate	= cf_proc_truncate,
#if CF_LINUX_6_18
	.proc_mmap	= cf_proc_mmap,
	.proc_fault	= cf_proc_fault,
#endif
};

static bool cf_name_ok(const char *s)
{
	size_t len = strlen(s);
	size_t i;

	if (!len || len > 255 || !strcmp(s, ".") || !strcmp(s, "..") ||
	    strchr(s, '/'))
		return false;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return true;
	return false;
}

static int __init cf_init(void)
{
	u64 chunks;

	if (!name || !cf_name_ok(name)) {
		pr_err("invalid name: must be 1 to 255 bytes, no '/', not '.', '..' or all digits\n");
		return -EINVAL;
	}
	if (proc_entry_exists(NULL, name)) {
		pr_err("invalid name=%s: /proc/%s exists\n", name, name);
		return -EEXIST;
	}
	if (!mode || mode > 0777) {
		pr_err("invalid mode=%#o: must be 01 to 0777\n", mode);
		return -EINVAL;
	}
	if (!max_size || max_size > CF_PROC_LIMIT) {
		pr_err("invalid max_size=%llu: must be 1 to %llu\n", max_size,
		       CF_PROC_LIMIT);
		return -EINVAL;
	}
	chunks = DIV_ROUND_UP_ULL(max_size, CF_CHUNK_SIZE);
	cf.levels = 1;
	while (cf.levels * CF_SHIFT < 64 && cf_span(cf.levels) < chunks)
		cf.levels++;
	mutex_init(&cf.wlock);
	mutex_init(&cf.lock);
	mutex_lock(&cf.lock);
	cf.pde = proc_create_data(name, mode, NULL, &cf_ops, NULL);
	mutex_unlock(&cf.lock);
	if (!cf.pde) {
		pr_err("cannot create /proc/%s\n", name);
		return -ENOMEM;
	}
	pr_info("created /proc/%s (mode %#o, max_size %llu)\n", name, mode,
		max_size);
	return 0;
}

static void __exit cf_exit(void)
{
	proc_remove(cf.pde);
	cf_clear();
	kfree(cf.bounce);
}

module_init(cf_init);
module_exit(cf_exit);

MODULE_DESCRIPTION("C twin of rustprocfile: a tmpfs-like file in /proc");
MODULE_AUTHOR("rustprocfile developers");
MODULE_LICENSE("GPL");
