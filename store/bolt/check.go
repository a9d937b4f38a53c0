package bolt

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"os"

	bbolt "go.etcd.io/bbolt"
)

// bbolt's file format, version 2: a page begins with a 16-byte header (its
// ID, flags, element count and number of overflow pages), followed by its
// elements, 16 bytes each, in the machine's byte order. An element finds
// its key (and value) at an offset from itself.
const (
	headerSize       = 16
	elemSize         = 16
	branchPageFlag   = 0x01
	leafPageFlag     = 0x02
	freelistPageFlag = 0x10
	bucketElemFlag   = 0x01 // a leaf element that is a bucket
	bucketHeader     = 16   // a bucket value: root page ID, sequence
	noFreelist       = ^uint64(0)
)

var native = binary.NativeEndian

// A meta page holds, after the page header: magic, version, page size and
// flags (4 bytes each); the root bucket's root page and sequence, the
// freelist page, the high-water mark and the transaction ID (8 bytes
// each); then the checksum, FNV-64a of the bytes before it.
const (
	metaMagic   = 0xED0CDAED
	metaVersion = 2
	metaSumAt   = 56 // the checksum's offset, and the length summed
	metaSize    = 64
)

// checkMetas returns an error unless both meta pages of the bbolt file f
// pass bbolt's own validation (magic, version, checksum). bbolt opens at
// the newer transaction of the meta pages it finds valid: with the newer
// one damaged it would open at the older, dropping the last transaction
// without a word, and the first write would make the loss final. A healthy
// file has two valid meta pages from its creation on.
func checkMetas(f *os.File, path string) error {
	var pageSize uint64 // page 1 is at the page size that page 0 records
	for id := range uint64(2) {
		buf := make([]byte, headerSize+metaSize)
		_, err := f.ReadAt(buf, int64(id*pageSize))
		m := buf[headerSize:]
		h := fnv.New64a()
		h.Write(m[:metaSumAt])
		reason := ""
		switch {
		case err != nil:
			reason = err.Error()
		case native.Uint32(m) != metaMagic:
			reason = fmt.Sprintf("magic %#x", native.Uint32(m))
		case native.Uint32(m[4:]) != metaVersion:
			reason = fmt.Sprintf("version %d", native.Uint32(m[4:]))
		case native.Uint64(m[metaSumAt:]) != h.Sum64():
			reason = "checksum mismatch"
		case id == 0:
			if pageSize = uint64(native.Uint32(m[8:])); pageSize < headerSize+metaSize {
				reason = fmt.Sprintf("page size %d", pageSize)
			}
		}
		if reason != "" {
			return &storeError{
				msg: fmt.Sprintf("store file %s: header page %d is damaged (%s): opening could fall back to an earlier transaction "+
					"and lose the last write; restore it from a backup, or move it away to start a new store", path, id, reason),
				errs: []error{ErrDamaged},
			}
		}
	}
	return nil
}

// checkPages reads the pages the read transaction tx of the bbolt file f
// uses, from the file and not from bbolt's mapping of it: the freelist and
// every page of the trees of the root bucket and of the store's buckets.
// It returns an error unless each lies within the file, is of the kind it
// should be, holds its elements within it, and is in one place only.
//
// bbolt trusts the pages it reads. A wild free-page count makes it
// allocate beyond memory; an offset pointing out of its page makes it take
// any memory for a key, and a pointer into the Go heap makes the garbage
// collector abort the process; a branch pointing up its tree makes it
// recurse until the stack overflows. None of these can be recovered from,
// so Open runs checkPages before bbolt reads either. It reads the first
// page of every page in use: the whole file but free pages and the
// overflow pages of large values.
func checkPages(tx *bbolt.Tx, f *os.File, path string) error {
	pageSize := uint64(tx.DB().Info().PageSize)
	c := &checker{f: f, path: path, pageSize: pageSize, pages: uint64(tx.Size()) / pageSize,
		seen: make(map[uint64]bool), free: make(map[uint64]bool)}
	root := uint64(tx.Cursor().Bucket().Root())
	if err := c.freelist(uint64(tx.ID()), root); err != nil {
		return err
	}
	return c.walk(root, true)
}

type checker struct {
	f        *os.File
	path     string
	pageSize uint64
	pages    uint64          // the high-water mark: pages in use are below it
	seen     map[uint64]bool // pages met
	free     map[uint64]bool // pages the freelist lists
}

func (c *checker) damaged(format string, args ...any) error {
	return damaged(c.path, fmt.Sprintf(format, args...))
}

// read returns n bytes of the file from page id on.
func (c *checker) read(id, n uint64) ([]byte, error) {
	buf := make([]byte, n)
	if _, err := c.f.ReadAt(buf, int64(id*c.pageSize)); err != nil {
		return nil, c.damaged("page %d: %v", id, err)
	}
	return buf, nil
}

// page reads the first page of page id, checks its header and that no
// page of it is met before or free, and returns the page, its flags,
// element count and size in bytes.
func (c *checker) page(id uint64, what string) (buf []byte, flags uint16, count, size uint64, err error) {
	if id < 2 || id >= c.pages {
		return nil, 0, 0, 0, c.damaged("%s is page %d, of pages 2 to %d", what, id, c.pages-1)
	}
	if c.seen[id] {
		return nil, 0, 0, 0, c.damaged("page %d is in two places", id)
	}
	c.seen[id] = true
	if buf, err = c.read(id, c.pageSize); err != nil {
		return nil, 0, 0, 0, err
	}
	if got := native.Uint64(buf); got != id {
		return nil, 0, 0, 0, c.damaged("page %d is marked as page %d", id, got)
	}
	flags, count, overflow := native.Uint16(buf[8:]), uint64(native.Uint16(buf[10:])), uint64(native.Uint32(buf[12:]))
	if id+overflow >= c.pages {
		return nil, 0, 0, 0, c.damaged("page %d runs %d pages past the end", id, id+overflow-c.pages+1)
	}
	for i := id; i <= id+overflow; i++ {
		if c.free[i] {
			return nil, 0, 0, 0, c.damaged("page %d is in use and free", i)
		}
		c.seen[i] = true
	}
	return buf, flags, count, (overflow + 1) * c.pageSize, nil
}

// freelist checks the freelist of the transaction txid, whose root bucket
// is root, and notes the pages it lists.
func (c *checker) freelist(txid, root uint64) error {
	// The meta page of the transaction says where its freelist is: after
	// the page header, magic, version, page size and flags (4 bytes
	// each), root and sequence of the root bucket, freelist, high-water
	// mark, transaction (8 bytes each).
	id := noFreelist
	for m := range uint64(2) {
		buf, err := c.read(m, headerSize+56)
		if err != nil {
			return err
		}
		meta := buf[headerSize:]
		if native.Uint64(meta[16:]) == root && native.Uint64(meta[40:]) == c.pages && native.Uint64(meta[48:]) == txid {
			id = native.Uint64(meta[32:])
			break
		}
	}
	if id == noFreelist {
		return nil // bbolt rebuilds it from the trees
	}
	buf, flags, count, size, err := c.page(id, "the freelist")
	if err != nil {
		return err
	}
	if flags != freelistPageFlag {
		return c.damaged("freelist page %d has flags %#x", id, flags)
	}
	start := uint64(headerSize)
	if count == 0xffff { // too many for the header: the first element counts them
		count, start = native.Uint64(buf[headerSize:]), headerSize+8
	}
	if count > (size-start)/8 {
		return c.damaged("freelist page %d lists more pages than it holds", id)
	}
	if start+count*8 > c.pageSize {
		if buf, err = c.read(id, start+count*8); err != nil {
			return err
		}
	}
	for i := range count {
		p := native.Uint64(buf[start+8*i:])
		switch {
		case p < 2 || p >= c.pages:
			return c.damaged("the freelist lists page %d, of pages 2 to %d", p, c.pages-1)
		case c.free[p]:
			return c.damaged("the freelist lists page %d twice", p)
		case c.seen[p]:
			return c.damaged("the freelist lists its own page %d", p)
		}
		c.free[p] = true
	}
	return nil
}

// walk checks the tree of page id. In the root bucket's tree every leaf
// element is a bucket; in the others none is.
func (c *checker) walk(id uint64, root bool) error {
	buf, flags, count, size, err := c.page(id, "a tree page")
	if err != nil {
		return err
	}
	if headerSize+count*elemSize > size {
		return c.damaged("page %d has more elements than room", id)
	}
	// The elements, and for the root bucket's leaves the values.
	if need := headerSize + count*elemSize; need > c.pageSize || root && flags == leafPageFlag && size > c.pageSize {
		if root && flags == leafPageFlag {
			need = size
		}
		if buf, err = c.read(id, need); err != nil {
			return err
		}
	}
	switch flags {
	case branchPageFlag:
		if count == 0 {
			return c.damaged("branch page %d is empty", id)
		}
		for i := range count {
			e := headerSize + i*elemSize
			pos, ksize, child := uint64(native.Uint32(buf[e:])), uint64(native.Uint32(buf[e+4:])), native.Uint64(buf[e+8:])
			if e+pos+ksize > size {
				return c.damaged("key %d of page %d lies outside it", i, id)
			}
			if err := c.walk(child, root); err != nil {
				return err
			}
		}
		return nil
	case leafPageFlag:
		return c.leaf(buf, size, count, root, fmt.Sprintf("page %d", id))
	}
	return c.damaged("page %d of a tree has flags %#x", id, flags)
}

// leaf checks the count elements of the leaf page that begins buf and is
// size bytes long; buf holds all of it in the root bucket's tree, and its
// elements otherwise.
func (c *checker) leaf(buf []byte, size, count uint64, root bool, name string) error {
	for i := range count {
		e := headerSize + i*elemSize
		flags := native.Uint32(buf[e:])
		pos, ksize, vsize := uint64(native.Uint32(buf[e+4:])), uint64(native.Uint32(buf[e+8:])), uint64(native.Uint32(buf[e+12:]))
		end := e + pos + ksize + vsize
		switch {
		case end > size:
			return c.damaged("element %d of %s lies outside it", i, name)
		case !root && flags&bucketElemFlag != 0:
			return c.damaged("element %d of %s is a bucket", i, name)
		case root && flags&bucketElemFlag == 0:
			return c.damaged("element %d of %s, in the root bucket, is not a bucket", i, name)
		case root:
			if err := c.bucket(buf[end-vsize:end], fmt.Sprintf("bucket %q", buf[e+pos:e+pos+ksize])); err != nil {
				return err
			}
		}
	}
	return nil
}

// bucket checks the bucket whose value is v: its tree, or its page if it
// is inline.
func (c *checker) bucket(v []byte, name string) error {
	if len(v) < bucketHeader {
		return c.damaged("%s is %d bytes long", name, len(v))
	}
	if root := native.Uint64(v); root != 0 {
		return c.walk(root, false)
	}
	page := v[bucketHeader:]
	if len(page) < headerSize || native.Uint16(page[8:]) != leafPageFlag {
		return c.damaged("%s is inline but holds no leaf page", name)
	}
	count := uint64(native.Uint16(page[10:]))
	if headerSize+count*elemSize > uint64(len(page)) {
		return c.damaged("%s has more elements than room", name)
	}
	return c.leaf(page, uint64(len(page)), count, false, name)
}
