// SPDX-License-Identifier: GPL-2.0
/*
 * cfile: the C twin of rustprocfile, for benchmarks.
 *
 * Creates /proc/<name> (default "cfile"), a file with the semantics of
 * /proc/rustfile: sparse 4 KiB pages allocated on first write and indexed
 * by a 64-way radix tree, a size cap (max_size: ENOSPC at or past it, a
 * write crossing it is cut short), truncate(), ftruncate() and O_TRUNC
 * through ->proc_truncate (EFBIG past max_size), O_APPEND, SEEK_DATA and
 * SEEK_HOLE, and written data staged page by page in a bounce page so that
 * a fault leaves the rest of the file untouched. One mutex serialises every
 * operation.
 *
 * It follows the Rust module on each kernel series. On 6.18 it reads through
 * ->proc_read_iter and publishes every size change with proc_file_set_size()
 * under the mutex (kernel patch 0005 of the 6.18 series). On 6.12 it reads
 * through ->proc_read, and writes take the inode lock before the mutex to
 * publish the size with i_size_write() and proc_set_size().
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/proc_fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/version.h>

/* The 6.18 series of kernel patches, see the comment at the top. */
#define CF_LINUX_6_18	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 18, 0))

#define CF_PAGE_SIZE	4096
#define CF_SHIFT	6
#define CF_FANOUT	(1 << CF_SHIFT)
#define CF_MAX_LEVELS	11
#define CF_MAX_SIZE	((u64)LLONG_MAX)
#define CF_NON_LFS	((u64)MAX_NON_LFS)
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
 * A node of level h covers CF_FANOUT^(h + 1) pages. Slots of level 0 nodes
 * point to data pages, slots of higher nodes to nodes one level down.
 * count is the number of pages below the node; it is never zero for a node
 * reachable from the root.
 */
struct cf_node {
	u64 count;
	void *slots[CF_FANOUT];
};

struct cf_file {
	struct mutex lock;		/* serialises all the fields below */
	struct cf_node *root;		/* of level levels - 1; NULL if empty */
	unsigned int levels;
	u64 size;
	u8 *bounce;			/* staging page for written data */
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

/* Frees what a slot of a node of level @level points to. */
static void cf_free_slot(void *p, unsigned int level)
{
	struct cf_node *node = p;
	unsigned int s;

	if (!p)
		return;
	if (level) {
		for (s = 0; s < CF_FANOUT; s++)
			cf_free_slot(node->slots[s], level - 1);
	}
	kfree(p);
}

static void cf_truncate(void)
{
	if (cf.root)
		cf_free_slot(cf.root, cf.levels);
	cf.root = NULL;
	cf.size = 0;
}

/* The page with index @idx, or NULL for a hole. */
static u8 *cf_page(u64 idx)
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
 * Builds what a slot of a node of level @level holds for page @idx: a new
 * zeroed page and the nodes above it, bottom-up, so that a failure frees
 * the partial chain.
 */
static void *cf_new_chain(unsigned int level, u64 idx)
{
	struct cf_node *node;
	unsigned int l;
	void *p;

	p = kzalloc(CF_PAGE_SIZE, GFP_KERNEL);
	if (!p)
		return NULL;
	for (l = 0; l < level; l++) {
		node = kzalloc(sizeof(*node), GFP_KERNEL);
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

/* The page with index @idx, allocated if needed; NULL if out of memory. */
static u8 *cf_page_mut(u64 idx)
{
	struct cf_node *path[CF_MAX_LEVELS];
	unsigned int level = cf.levels - 1;
	unsigned int depth = 0;
	struct cf_node *node;
	void **slot;
	void *p;

	if (!cf.root) {
		cf.root = kzalloc(sizeof(*cf.root), GFP_KERNEL);
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
			return *slot;
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
		p = ((struct cf_node *)p)->slots[cf_slot(idx, level - 1)];
	return p;
}

/* First allocated page at or after @idx below @node (level, first page). */
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

/* First unallocated page at or after @idx below @node. */
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
 * Frees the pages with index @first and above below @node (of level @level,
 * first page @base) and the nodes this leaves empty; returns the number of
 * pages freed.
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
 * Sets the size to @size: pages past it are freed and the rest of the
 * last page is zeroed, so that growing the file again shows zeros.
 */
static int cf_resize(u64 size)
{
	size_t off = size % CF_PAGE_SIZE;
	u8 *tail;

	if (size > max_size)
		return -EFBIG;
	if (!size) {
		cf_truncate();
		return 0;
	}
	if (size < cf.size) {
		tail = off ? cf_page(size / CF_PAGE_SIZE) : NULL;
		if (tail)
			memset(tail + off, 0, CF_PAGE_SIZE - off);
		if (cf.root) {
			cf_free_from(cf.root, cf.levels - 1, 0,
				     DIV_ROUND_UP_ULL(size, CF_PAGE_SIZE));
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

	mutex_lock(&cf.lock);
	ret = cf_resize(size);
#if CF_LINUX_6_18
	if (!ret)
		cf_set_size(inode, cf.size);
#endif
	mutex_unlock(&cf.lock);
	return ret;
}

#if CF_LINUX_6_18
static ssize_t cf_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	loff_t pos = iocb->ki_pos;
	size_t total, done = 0;
	ssize_t ret = 0;

	if (pos < 0)
		return -EINVAL;
	mutex_lock(&cf.lock);
	if ((u64)pos >= cf.size)
		goto out;
	total = min_t(u64, cf.size - pos, iov_iter_count(to));
	while (done < total) {
		u64 at = pos + done;
		size_t off = at % CF_PAGE_SIZE;
		size_t len = min(CF_PAGE_SIZE - off, total - done);
		const u8 *page = cf_page(at / CF_PAGE_SIZE);
		size_t copied;

		if (page)
			copied = copy_to_iter(page + off, len, to);
		else
			copied = iov_iter_zero(len, to);
		if (copied != len) {
			if (!done)
				ret = -EFAULT;
			break;
		}
		done += len;
	}
	if (done) {
		iocb->ki_pos = pos + done;
		ret = done;
	}
out:
	mutex_unlock(&cf.lock);
	return ret;
}
#else
static ssize_t cf_read(struct file *file, char __user *buf, size_t count,
		       loff_t *ppos)
{
	loff_t pos = *ppos;
	size_t total, done = 0;
	ssize_t ret = 0;

	if (pos < 0)
		return -EINVAL;
	mutex_lock(&cf.lock);
	if ((u64)pos >= cf.size)
		goto out;
	total = min_t(u64, cf.size - pos, count);
	while (done < total) {
		u64 at = pos + done;
		size_t off = at % CF_PAGE_SIZE;
		size_t len = min(CF_PAGE_SIZE - off, total - done);
		const u8 *page = cf_page(at / CF_PAGE_SIZE);
		unsigned long left;

		if (page)
			left = copy_to_user(buf + done, page + off, len);
		else
			left = clear_user(buf + done, len);
		if (left) {
			if (!done)
				ret = -EFAULT;
			break;
		}
		done += len;
	}
	if (done) {
		*ppos = pos + done;
		ret = done;
	}
out:
	mutex_unlock(&cf.lock);
	return ret;
}
#endif

static ssize_t cf_write(struct file *file, const char __user *buf,
			size_t count, loff_t *ppos)
{
	unsigned int flags = READ_ONCE(file->f_flags);
	u64 limit = flags & O_LARGEFILE ? CF_FS_LIMIT : CF_NON_LFS;
	struct inode *inode = file_inode(file);
	size_t total, done = 0;
	u64 pos, old_size;
	ssize_t ret = 0;

	if (!count)
		return 0;
	if (!CF_LINUX_6_18)
		inode_lock(inode);
	mutex_lock(&cf.lock);
	old_size = cf.size;
	if (flags & O_APPEND) {
		pos = cf.size;
	} else if (*ppos < 0) {
		ret = -EINVAL;
		goto out;
	} else {
		pos = *ppos;
	}
	if (pos >= limit) {
		ret = -EFBIG;
		goto out;
	}
	if (pos >= max_size) {
		ret = -ENOSPC;
		goto out;
	}
	total = min_t(u64, min_t(u64, max_size, limit) - pos, count);
	if (!cf.bounce) {
		cf.bounce = kzalloc(CF_PAGE_SIZE, GFP_KERNEL);
		if (!cf.bounce) {
			ret = -ENOMEM;
			goto out;
		}
	}
	while (done < total) {
		u64 at = pos + done;
		size_t off = at % CF_PAGE_SIZE;
		size_t len = min(CF_PAGE_SIZE - off, total - done);
		u8 *page;

		if (copy_from_user(cf.bounce, buf + done, len)) {
			ret = -EFAULT;
			break;
		}
		page = cf_page_mut(at / CF_PAGE_SIZE);
		if (!page) {
			ret = -ENOMEM;
			break;
		}
		memcpy(page + off, cf.bounce, len);
		done += len;
		cf.size = max(cf.size, at + len);
	}
	if (done) {
		*ppos = pos + done;
		ret = done;
	}
	if (cf.size != old_size)
		cf_set_size(inode, cf.size);
out:
	mutex_unlock(&cf.lock);
	if (!CF_LINUX_6_18)
		inode_unlock(inode);
	return ret;
}

static loff_t cf_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t size, new;
	u64 start, page;

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
					  start / CF_PAGE_SIZE, &page) ||
			    max(start, page * CF_PAGE_SIZE) >= size) {
				new = -ENXIO;
				goto out;
			}
			new = max(start, page * CF_PAGE_SIZE);
		} else {
			page = start / CF_PAGE_SIZE;
			if (cf.root &&
			    !cf_next_hole(cf.root, cf.levels - 1, 0, page, &page))
				page = cf_span(cf.levels);
			if (page > U64_MAX / CF_PAGE_SIZE)
				page = U64_MAX;
			else
				page *= CF_PAGE_SIZE;
			new = min_t(u64, max(start, page), size);
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
	u64 pages;

	if (!name || !cf_name_ok(name)) {
		pr_err("invalid name: must be 1 to 255 bytes, no '/', not '.', '..' or all digits\n");
		return -EINVAL;
	}
	if (!mode || mode > 0777) {
		pr_err("invalid mode=%#o: must be 01 to 0777\n", mode);
		return -EINVAL;
	}
	if (!max_size || max_size > min(CF_MAX_SIZE, CF_FS_LIMIT)) {
		pr_err("invalid max_size=%llu\n", max_size);
		return -EINVAL;
	}
	pages = DIV_ROUND_UP_ULL(max_size, CF_PAGE_SIZE);
	cf.levels = 1;
	while (cf.levels * CF_SHIFT < 64 && cf_span(cf.levels) < pages)
		cf.levels++;
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
	cf_truncate();
	kfree(cf.bounce);
}

module_init(cf_init);
module_exit(cf_exit);

MODULE_DESCRIPTION("C twin of rustprocfile: a tmpfs-like file in /proc");
MODULE_AUTHOR("rustprocfile developers");
MODULE_LICENSE("GPL");
