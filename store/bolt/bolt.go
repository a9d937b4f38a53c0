// Package bolt is the embedded newsdedup store: one directory holding one
// bbolt file. Every Put is one bbolt transaction, fsynced before it
// returns, so a crash leaves a Put whole or absent.
//
// While a Store that Open opened is open, its directory also holds an owner
// file naming the process that has it, so that another process refused the
// store can say which one holds it. OpenExisting opens a store read-only
// and writes neither file.
//
// A damaged file (truncated, overwritten, or not a store at all) makes
// Open or a later call return an error wrapping ErrDamaged, never a crash:
// bbolt panics on a page it cannot parse, and reading a page beyond the end
// of a truncated file raises SIGBUS, so every call into bbolt runs with
// debug.SetPanicOnFault and recovers. After such a panic every call of the
// Store returns that error.
package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/newsdedup/newsdedup"
)

var (
	_ newsdedup.Store       = (*Store)(nil)
	_ newsdedup.Snapshotter = (*Store)(nil)
	_ newsdedup.Identified  = (*Store)(nil)
)

// StoreID returns the store's ID, or "" for a store made before IDs that
// was opened read-only.
func (s *Store) StoreID() string { return s.id }

// A store is in one of two layouts. Stores made before 2026-12-01 key
// their records by article ID (bRecords, with bOrder listing the IDs by
// arrival number) and their relations by the articles' IDs (bRelations,
// with bRelIndex finding them from either article). IDs are hashes, so
// each Put of such a store inserts all over its trees, and bbolt rewrites
// every leaf it touches, with the branches above it, at commit: most of
// the cost of ingesting into a large store. Stores made since (meta key
// kLayout, "2") key records by arrival number (bArticles, with bIDs
// mapping each ID to its number) and relations by their articles' numbers,
// later article first (bRels), so that a Put appends to the end of those
// trees; bRelsOf finds a relation from its earlier article. Each store is
// read and written in its own layout. A build from before the second
// layout finds bRecords missing and calls such a store damaged.
var (
	bMeta      = []byte("meta")
	bRecords   = []byte("records")
	bOrder     = []byte("order")
	bRelations = []byte("relations")
	bRelIndex  = []byte("relindex")
	// The second layout's: arrival number -> record; ID -> arrival
	// number; B's number, A's number, kind -> relation; A's number, B's
	// number, kind -> nothing.
	bArticles = []byte("articles")
	bIDs      = []byte("ids")
	bRels     = []byte("rels")
	bRelsOf   = []byte("relsof")
	kLayout   = []byte("layout")
	// The engine's latest snapshot: the arrival number it is as of, 8
	// bytes big-endian, under kSnapSeq, and its data under kSnapData.
	// Stores made before keep both under kSnapshot, the number first (a
	// copy of the data as big as it). Made by the first PutSnapshot.
	bSnapshot = []byte("snapshot")
	kSnapshot = []byte("latest")
	kSnapSeq  = []byte("seq")
	kSnapData = []byte("data")
	kParams   = []byte("params")
	kSeq      = []byte("seq")
	kIDScheme = []byte("idscheme")
	// The numbers of records and of relations, 8 bytes big-endian, kept
	// by Put; stores made before them count them at open.
	kArticles = []byte("articles")
	// A random ID made with the store (or at its first opening for writing
	// by a newsdedup that knows it): see newsdedup.Identified.
	kStoreID   = []byte("storeid")
	kRelations = []byte("relations")
)

const (
	// FileName is the name of the database file in a store's directory.
	FileName = "newsdedup.db"
	// OwnerFileName is the name of the file, beside FileName, that names
	// the process holding the store open.
	OwnerFileName = "newsdedup.owner"
)

// IDScheme is the version of the article IDs a store holds: see
// newsdedup.IDScheme.
const IDScheme = newsdedup.IDScheme

var (
	// ErrDamaged is wrapped by the errors about a store file that cannot
	// be read.
	ErrDamaged = errors.New("store file damaged")
	// ErrNoStore is wrapped by the error of OpenExisting for a directory
	// that holds no store.
	ErrNoStore = errors.New("no store")
	// ErrInUse is wrapped by the error of Open for a store another process
	// holds open.
	ErrInUse = errors.New("store in use")
	// ErrIDScheme is wrapped by the error of Open for a store whose
	// article IDs were made otherwise than IDScheme says.
	ErrIDScheme = newsdedup.ErrIDScheme
	// ErrReadOnly is wrapped by the error of Put on a store that
	// OpenExisting opened.
	ErrReadOnly = errors.New("store opened read-only")
	// ErrNewer is wrapped by the error of Open for a store in a layout a
	// later newsdedup made (a number above the ones this build knows): it
	// is not damaged, and Open leaves it as it is.
	ErrNewer = errors.New("store of a newer layout")
)

// knownLayouts is the highest layout number this build reads and writes.
const knownLayouts = 2

// newerLayout reports whether v, a store's layout, is a number above
// knownLayouts, written as a build writes it ("3", not "03" or "+3"): the
// layout of a later build, not a damaged store.
func newerLayout(v []byte) bool {
	n, err := strconv.Atoi(string(v))
	return err == nil && n > knownLayouts && strconv.Itoa(n) == string(v)
}

// A storeError has a message of its own and wraps errs.
type storeError struct {
	msg  string
	errs []error
}

func (e *storeError) Error() string   { return e.msg }
func (e *storeError) Unwrap() []error { return e.errs }

// damaged returns the error about the damaged store file path.
func damaged(path, reason string) *storeError {
	return &storeError{
		msg:  fmt.Sprintf("store file %s is damaged (%s): restore it from a backup, or move it away to start a new store", path, reason),
		errs: []error{ErrDamaged},
	}
}

// Store is a bbolt-backed newsdedup.Store. It is safe for concurrent use.
type Store struct {
	db       *bbolt.DB
	file     *os.File // bbolt's file, closed by Close if bbolt cannot be
	path     string
	dir      string
	owner    string // the owner file this Store wrote, or ""
	params   newsdedup.Params
	readOnly bool
	// byArrival: the store is in the second layout (see bArticles); a
	// new store is made in it unless oldLayout is set (for tests).
	byArrival bool
	oldLayout bool
	id        string                     // see StoreID
	counts    *[2]int                    // of a read-only store without counters, counted at open
	damage    atomic.Pointer[storeError] // set by the first panic of bbolt
}

// Open opens or creates the store in dir. A new store records p and
// IDScheme. An existing one made with other parameters is refused with an
// error that wraps newsdedup.ErrParamsMismatch, one of another ID scheme
// with ErrIDScheme, and a damaged one with ErrDamaged. Another process
// holding the store makes Open fail after a second with ErrInUse.
func Open(dir string, p newsdedup.Params) (*Store, error) {
	return open(dir, p, true, false)
}

// OpenExisting opens the store in dir for reading only. It refuses a store
// as Open does, but creates nothing (without a store in dir it returns an
// error wrapping ErrNoStore) and writes nothing, not even an owner file, so
// it reads a store whose file it may not write. Readers share a store;
// a writer (Open) waits for them, and they for it. Put returns an error
// wrapping ErrReadOnly.
func OpenExisting(dir string, p newsdedup.Params) (*Store, error) {
	return open(dir, p, false, false)
}

// open opens the store in dir; a new one is made in the first layout if
// oldLayout is set (for tests of stores made before the second).
func open(dir string, p newsdedup.Params, create, oldLayout bool) (*Store, error) {
	path := filepath.Join(dir, FileName)
	noStore := fmt.Errorf("%w in %s", ErrNoStore, dir)
	var db *bbolt.DB
	var f *os.File
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !create:
		return nil, noStore
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
	case err != nil:
		return nil, fmt.Errorf("open store: %w", err)
	case fi.Size() == 0:
		// bbolt would make an empty store of it, hiding the loss of a
		// store cut to nothing. (A creating process holds a file this
		// short only between two system calls.)
		return nil, damaged(path, "the file is empty")
	default:
		if db, f, err = check(dir, path); err != nil {
			return nil, err
		}
		if create {
			db.Close()
			db = nil
		}
	}

	if db == nil {
		db, f, err = boltOpen(path, false, create)
		switch {
		case errors.Is(err, fs.ErrNotExist) && !create:
			return nil, noStore
		case err != nil:
			return nil, openError(dir, path, err)
		}
	}
	s := &Store{db: db, file: f, path: path, dir: dir, params: p, readOnly: !create, oldLayout: oldLayout}
	if create {
		// The owner file only makes the error of another process more
		// helpful: failing to write it is no reason to refuse the store.
		if err := writeOwner(filepath.Join(dir, OwnerFileName)); err == nil {
			s.owner = filepath.Join(dir, OwnerFileName)
		}
		err = s.update(func(tx *bbolt.Tx, _ *caller) error { return s.setup(tx) })
	} else {
		err = s.view(func(tx *bbolt.Tx, _ *caller) error { return s.setup(tx) })
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// setup checks the store that tx reads: its buckets, ID scheme, params and
// counters. In a write transaction it also makes what the store lacks: the
// buckets, params and counters of a new store, the ID scheme of an empty
// store of an earlier version, the counters of a store made before them.
// In a read transaction it counts the articles and relations of a store
// without counters into s.counts.
func (s *Store) setup(tx *bbolt.Tx) error {
	write, path, dir := tx.Writable(), s.path, s.dir
	switch meta := tx.Bucket(bMeta); {
	case meta == nil:
		s.byArrival = !s.oldLayout // a new store, or none
	case meta.Get(kLayout) == nil:
		s.byArrival = false
	case string(meta.Get(kLayout)) == "2":
		s.byArrival = true
	case newerLayout(meta.Get(kLayout)):
		return &storeError{
			msg: fmt.Sprintf("store %s is in layout %s, which a later newsdedup made (this build reads layouts 1 to %d): open it with that version or a later one; it is left as it was",
				dir, meta.Get(kLayout), knownLayouts),
			errs: []error{ErrNewer},
		}
	default:
		return damaged(path, fmt.Sprintf("its layout is %q", meta.Get(kLayout)))
	}
	buckets := [][]byte{bMeta, bRecords, bOrder, bRelations, bRelIndex}
	if s.byArrival {
		buckets = [][]byte{bMeta, bArticles, bIDs, bRels, bRelsOf}
	}
	var missing [][]byte
	for _, b := range buckets {
		if tx.Bucket(b) == nil {
			missing = append(missing, b)
		}
	}
	// A store has every bucket, made by one transaction, or none.
	switch {
	case len(missing) > 0 && len(missing) < len(buckets):
		return damaged(path, fmt.Sprintf("bucket %s is missing", missing[0]))
	case len(missing) > 0 && !write:
		return fmt.Errorf("%w in %s: its file %s holds no newsdedup data", ErrNoStore, dir, path)
	}
	for _, b := range missing {
		if _, err := tx.CreateBucket(b); err != nil {
			return err
		}
	}
	meta := tx.Bucket(bMeta)
	if len(missing) > 0 && s.byArrival {
		if err := meta.Put(kLayout, []byte("2")); err != nil {
			return err
		}
	}
	switch scheme := meta.Get(kIDScheme); {
	case scheme == nil:
		// An earlier newsdedup wrote these keys only.
		c := meta.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if !bytes.Equal(k, kParams) && !bytes.Equal(k, kSeq) && !bytes.Equal(k, kLayout) {
				return damaged(path, fmt.Sprintf("the ID scheme is missing, and key %q is unknown", k))
			}
		}
		if k, _ := tx.Bucket(s.records()).Cursor().First(); k != nil {
			return &storeError{
				msg: fmt.Sprintf("store %s was made by an earlier newsdedup, whose article IDs hashed the URL alone, "+
					"where this one's hash URL and content: ingest the articles again into a new store, "+
					"or this one would hold every article twice", dir),
				errs: []error{ErrIDScheme},
			}
		}
		if write {
			if err := meta.Put(kIDScheme, []byte(strconv.Itoa(IDScheme))); err != nil {
				return err
			}
		}
	case string(scheme) != strconv.Itoa(IDScheme):
		if _, err := strconv.Atoi(string(scheme)); err != nil {
			return damaged(path, fmt.Sprintf("the ID scheme is %q", scheme))
		}
		return &storeError{
			msg: fmt.Sprintf("store %s holds articles of ID scheme %s, this newsdedup makes IDs of scheme %d: "+
				"ingest the articles again into a new store, or use the newsdedup that made it", dir, scheme, IDScheme),
			errs: []error{ErrIDScheme},
		}
	}
	if raw := meta.Get(kParams); raw != nil {
		var stored newsdedup.Params
		if err := json.Unmarshal(raw, &stored); err != nil {
			return damaged(path, fmt.Sprintf("stored params: %v", err))
		}
		if stored != s.params {
			return fmt.Errorf("%w: store %s was made with %+v, this run uses %+v", newsdedup.ErrParamsMismatch, dir, stored, s.params)
		}
	} else if write {
		raw, _ := json.Marshal(s.params)
		if err := meta.Put(kParams, raw); err != nil {
			return err
		}
	}

	switch id := meta.Get(kStoreID); {
	case id != nil:
		s.id = string(id)
	case write:
		s.id = newsdedup.NewStoreID()
		if err := meta.Put(kStoreID, []byte(s.id)); err != nil {
			return err
		}
	}
	if meta.Get(kArticles) != nil || meta.Get(kRelations) != nil {
		_, _, err := s.counters(meta)
		return err
	}
	// A store made before the counters: count once.
	a, err := s.count(tx.Bucket(s.records()))
	if err != nil {
		return err
	}
	r, err := s.count(tx.Bucket(s.relations()))
	if err != nil {
		return err
	}
	if !write {
		s.counts = &[2]int{a, r}
		return nil
	}
	return s.putCounters(meta, a, r)
}

// records and relations name the buckets of s's layout that hold one key
// for each record and each relation.
func (s *Store) records() []byte {
	if s.byArrival {
		return bArticles
	}
	return bRecords
}

func (s *Store) relations() []byte {
	if s.byArrival {
		return bRels
	}
	return bRelations
}

// counters returns the counters of records and relations in meta.
func (s *Store) counters(meta *bbolt.Bucket) (articles, relations int, err error) {
	var n [2]int
	for i, k := range [][]byte{kArticles, kRelations} {
		raw := meta.Get(k)
		if len(raw) != 8 || binary.BigEndian.Uint64(raw) > math.MaxInt {
			return 0, 0, damaged(s.path, fmt.Sprintf("the counter of %s is %x", k, raw))
		}
		n[i] = int(binary.BigEndian.Uint64(raw))
	}
	return n[0], n[1], nil
}

func (s *Store) putCounters(meta *bbolt.Bucket, articles, relations int) error {
	if err := meta.Put(kArticles, seqKey(uint64(articles))); err != nil {
		return err
	}
	return meta.Put(kRelations, seqKey(uint64(relations)))
}

// check opens the existing store file path read-only, which reads no page
// but the two meta pages, and returns an error if either meta page is
// damaged, the file is shorter than its meta pages say, or checkPages
// finds it damaged. A read-write Open would read the freelist at once, and
// what follows reads the trees. On success the store is left open
// read-only, holding the shared lock, for the caller to use or close.
func check(dir, path string) (*bbolt.DB, *os.File, error) {
	db, f, err := boltOpen(path, true, false)
	if err != nil {
		return nil, nil, openError(dir, path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("open store: %w", err)
	}
	// Read under the lock, lest a writer's meta page be read half written.
	if err := checkMetas(f, path); err != nil {
		db.Close()
		return nil, nil, err
	}
	err = protect(func(*caller) error {
		return db.View(func(tx *bbolt.Tx) error {
			if tx.Size() > fi.Size() {
				return damaged(path, fmt.Sprintf("truncated: it holds %d bytes of the %d its last transaction wrote", fi.Size(), tx.Size()))
			}
			return checkPages(tx, f, path)
		})
	})
	if err != nil {
		db.Close()
		return nil, nil, openError(dir, path, err)
	}
	return db, f, nil
}

// boltOpen opens path with bbolt, waiting a second for another process to
// release it. It returns the file bbolt opened, to release the file's lock
// if bbolt cannot be closed, and without create it creates no file.
func boltOpen(path string, readOnly, create bool) (db *bbolt.DB, f *os.File, err error) {
	opts := &bbolt.Options{Timeout: time.Second, ReadOnly: readOnly}
	opts.OpenFile = func(name string, flag int, perm os.FileMode) (*os.File, error) {
		if !create {
			flag &^= os.O_CREATE
		}
		var err error
		f, err = os.OpenFile(name, flag, perm)
		return f, err
	}
	err = protect(func(*caller) error {
		var err error
		db, err = bbolt.Open(path, 0o644, opts)
		return err
	})
	if err != nil && f != nil {
		// After a panic bbolt has not closed the file; otherwise this
		// second Close does nothing.
		f.Close()
	}
	return db, f, err
}

// openError turns an error of boltOpen into one that says what is wrong:
// another process holds the store, the system refused the file, or the
// file is damaged.
func openError(dir, path string, err error) error {
	var p *panicError
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return inUse(dir)
	case errors.As(err, &p):
		return damaged(path, p.Error())
	case errors.As(err, new(*fs.PathError)), errors.As(err, new(syscall.Errno)):
		return fmt.Errorf("open store %s: %w", dir, err)
	case errors.Is(err, ErrDamaged):
		return err
	}
	// What bbolt says of the content: invalid database, checksum error,
	// version mismatch, file size too small.
	return damaged(path, err.Error())
}

// An owner is the content of an owner file.
type owner struct {
	PID     int       `json:"pid"`
	Command string    `json:"command"`
	Since   time.Time `json:"since"`
}

// writeOwner writes the owner file path naming this process.
func writeOwner(path string) error {
	cmd := append([]string{filepath.Base(os.Args[0])}, os.Args[1:]...)
	raw, err := json.Marshal(owner{PID: os.Getpid(), Command: strings.Join(cmd, " "), Since: time.Now()})
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(raw, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// inUse returns the error about the store in dir that another process
// holds, naming the process if its owner file does.
func inUse(dir string) error {
	msg := fmt.Sprintf("store %s is in use by another process", dir)
	var o owner
	if raw, err := os.ReadFile(filepath.Join(dir, OwnerFileName)); err == nil && json.Unmarshal(raw, &o) == nil && o.PID > 0 {
		msg = fmt.Sprintf("store %s is in use by another newsdedup process (pid %d: %s, since %s)",
			dir, o.PID, o.Command, o.Since.Local().Format(time.DateTime))
	}
	return &storeError{msg: msg + ": stop it or wait for it to finish", errs: []error{ErrInUse, berrors.ErrTimeout}}
}

// A panicError is a panic recovered by protect.
type panicError struct{ v any }

func (e *panicError) Error() string {
	// A fault, made a panic by debug.SetPanicOnFault, has an address;
	// one in the first page is a nil dereference.
	if f, ok := e.v.(interface{ Addr() uintptr }); ok && f.Addr() >= 4096 {
		return fmt.Sprintf("bbolt: reading the mapped file faulted at %#x: the file may have been cut short", f.Addr())
	}
	return fmt.Sprintf("bbolt: %v", e.v)
}

// A caller runs the callbacks of a Store's caller inside protect.
type caller struct{ active bool }

// call runs fn. A panic in fn is the caller's, not bbolt's: protect lets
// it go on.
func (c *caller) call(fn func() error) error {
	c.active = true
	err := fn()
	c.active = false
	return err
}

// protect runs fn, which calls into bbolt, with faults on the mapped file
// turned into panics, and returns a panic as a *panicError. bbolt's
// managed transactions roll back as the panic passes through them.
func protect(fn func(c *caller) error) (err error) {
	c := new(caller)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if c.active {
			return
		}
		if v := recover(); v != nil {
			err = &panicError{v}
		}
	}()
	return fn(c)
}

// view runs fn in a read transaction under protect. A panic damages the
// store for good: it returns the error then, and every later call does.
func (s *Store) view(fn func(*bbolt.Tx, *caller) error) error {
	return s.do(fn, false)
}

// update runs fn in a write transaction as view does.
func (s *Store) update(fn func(*bbolt.Tx, *caller) error) error {
	return s.do(fn, true)
}

func (s *Store) do(fn func(*bbolt.Tx, *caller) error, write bool) error {
	if d := s.damage.Load(); d != nil {
		return d
	}
	err := protect(func(c *caller) error {
		txfn := func(tx *bbolt.Tx) error { return fn(tx, c) }
		if write {
			return s.db.Update(txfn)
		}
		return s.db.View(txfn)
	})
	var p *panicError
	if errors.As(err, &p) {
		s.damage.CompareAndSwap(nil, damaged(s.path, p.Error()))
		return s.damage.Load()
	}
	return err
}

// Params returns the store's fingerprint parameters.
func (s *Store) Params() newsdedup.Params { return s.params }

// Close removes the owner file and closes the store.
func (s *Store) Close() error {
	var err error
	if s.owner != "" {
		if rerr := os.Remove(s.owner); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			err = rerr
		}
		s.owner = ""
	}
	if s.damage.Load() == nil {
		return errors.Join(s.db.Close(), err)
	}
	// The panic may have left one of bbolt's locks held (it panicked
	// beginning or rolling back a transaction), and then db.Close waits
	// for ever. Give it a moment, then close the file to release the
	// store for other processes; the mapping stays until this one ends.
	done := make(chan error, 1)
	go func() {
		done <- protect(func(*caller) error { return s.db.Close() })
	}()
	select {
	case cerr := <-done:
		return errors.Join(cerr, err)
	case <-time.After(time.Second):
		return errors.Join(s.file.Close(), err)
	}
}

func seqKey(n uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return b[:]
}

// relKey is the key of a relation: A, B and kind, so that two articles
// may be related as copies and as one story's reports.
func relKey(a, b newsdedup.ArticleID, k newsdedup.Kind) []byte {
	key := append(append([]byte(a), 0), b...)
	return append(append(key, 0), k...)
}

// Put stores recs and rels in one transaction. The articles of rels must
// be stored, before or in recs: a store of the second layout (see
// bArticles) refuses the Put with EINVALID otherwise.
func (s *Store) Put(ctx context.Context, recs []*newsdedup.Record, rels []newsdedup.Relation) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d := s.damage.Load(); d != nil {
		return d
	}
	if s.readOnly {
		return fmt.Errorf("put: store %s: %w (by a command that only reads it)", s.dir, ErrReadOnly)
	}
	return s.update(func(tx *bbolt.Tx, _ *caller) error {
		meta := tx.Bucket(bMeta)
		narts, nrels, err := s.counters(meta)
		if err != nil {
			return err
		}
		var seq uint64
		if raw := meta.Get(kSeq); raw != nil {
			seq = binary.BigEndian.Uint64(raw)
		}
		put := s.putByID
		if s.byArrival {
			put = s.putByArrival
		}
		if seq, nrels, err = put(tx, recs, rels, seq, nrels); err != nil {
			return err
		}
		if err := s.putCounters(meta, narts+len(recs), nrels); err != nil {
			return err
		}
		return meta.Put(kSeq, seqKey(seq))
	})
}

// stamp numbers r seq and dates it, unless it is dated, and encodes it.
func stamp(r *newsdedup.Record, seq uint64) ([]byte, error) {
	r.Seq = seq
	if r.Stored.IsZero() {
		r.Stored = time.Now().UTC()
	}
	raw, err := encodeRecord(r)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", r.Article.ID, err)
	}
	return raw, nil
}

// putByID is Put's work in a store of the first layout: it stores recs,
// numbered from seq+1, and rels, and returns the last number and the
// count of relations, nrels before.
func (s *Store) putByID(tx *bbolt.Tx, recs []*newsdedup.Record, rels []newsdedup.Relation, seq uint64, nrels int) (uint64, int, error) {
	err := func() error {
		records, order := tx.Bucket(bRecords), tx.Bucket(bOrder)
		for _, r := range recs {
			if records.Get([]byte(r.Article.ID)) != nil {
				return newsdedup.Errorf(newsdedup.EINVALID, "article %s is stored already", r.Article.ID)
			}
			seq++
			raw, err := stamp(r, seq)
			if err != nil {
				return err
			}
			if err := records.Put([]byte(r.Article.ID), raw); err != nil {
				return err
			}
			if err := order.Put(seqKey(seq), []byte(r.Article.ID)); err != nil {
				return err
			}
		}
		relations, index := tx.Bucket(bRelations), tx.Bucket(bRelIndex)
		for k := range rels {
			rel := &rels[k]
			raw := encodeRelation(rel)
			// A relation of the same key replaces the one stored.
			key := relKey(rel.A, rel.B, rel.Kind)
			if relations.Get(key) == nil {
				nrels++
			}
			if err := relations.Put(key, raw); err != nil {
				return err
			}
			// The index finds a relation from either article: its key is
			// one article's ID, 0, then the relation's own key.
			for _, id := range []newsdedup.ArticleID{rel.A, rel.B} {
				if err := index.Put(append(append([]byte(id), 0), relKey(rel.A, rel.B, rel.Kind)...), nil); err != nil {
					return err
				}
			}
		}
		return nil
	}()
	return seq, nrels, err
}

// putByArrival is putByID in a store of the second layout. The articles
// of rels must be stored, before or in recs.
func (s *Store) putByArrival(tx *bbolt.Tx, recs []*newsdedup.Record, rels []newsdedup.Relation, seq uint64, nrels int) (uint64, int, error) {
	articles, ids, relations, relsOf := tx.Bucket(bArticles), tx.Bucket(bIDs), tx.Bucket(bRels), tx.Bucket(bRelsOf)
	// Appended in order: pages filled, not split in half.
	articles.FillPercent, relations.FillPercent = 1, 1
	for _, r := range recs {
		if ids.Get([]byte(r.Article.ID)) != nil {
			return 0, 0, newsdedup.Errorf(newsdedup.EINVALID, "article %s is stored already", r.Article.ID)
		}
		seq++
		raw, err := stamp(r, seq)
		if err != nil {
			return 0, 0, err
		}
		if err := articles.Put(seqKey(seq), raw); err != nil {
			return 0, 0, err
		}
		if err := ids.Put([]byte(r.Article.ID), seqKey(seq)); err != nil {
			return 0, 0, err
		}
	}
	for k := range rels {
		rel := &rels[k]
		a, b := ids.Get([]byte(rel.A)), ids.Get([]byte(rel.B))
		if a == nil || b == nil {
			return 0, 0, newsdedup.Errorf(newsdedup.EINVALID, "relation %s-%s: both articles must be stored", rel.A, rel.B)
		}
		// A relation of the same key replaces the one stored.
		key := arrivalRelKey(b, a, rel.Kind)
		if relations.Get(key) == nil {
			nrels++
		}
		if err := relations.Put(key, encodeRelation(rel)); err != nil {
			return 0, 0, err
		}
		if err := relsOf.Put(arrivalRelKey(a, b, rel.Kind), nil); err != nil {
			return 0, 0, err
		}
	}
	return seq, nrels, nil
}

// arrivalRelKey is a key of the second layout's relations: the arrival
// numbers x and y, 8 bytes each, then the kind.
func arrivalRelKey(x, y []byte, k newsdedup.Kind) []byte {
	key := make([]byte, 0, 16+len(k))
	return append(append(append(key, x...), y...), k...)
}

// decodeRecord decodes the record of id.
func (s *Store) decodeRecord(id, raw []byte) (*newsdedup.Record, error) {
	var r newsdedup.Record
	if raw == nil {
		return nil, damaged(s.path, fmt.Sprintf("article %s is listed but not stored", id))
	}
	if err := decodeStored(raw, &r, decodeBinary); err != nil {
		return nil, damaged(s.path, fmt.Sprintf("article %s does not decode: %v", id, err))
	}
	if string(r.Article.ID) != string(id) {
		return nil, damaged(s.path, fmt.Sprintf("article %s is stored as %q", id, r.Article.ID))
	}
	return &r, nil
}

// decodeNumbered decodes the record raw stored under the arrival number
// seq (the second layout).
func (s *Store) decodeNumbered(seq, raw []byte) (*newsdedup.Record, error) {
	var r newsdedup.Record
	if err := decodeStored(raw, &r, decodeBinary); err != nil {
		return nil, damaged(s.path, fmt.Sprintf("article number %x does not decode: %v", seq, err))
	}
	if len(seq) != 8 || r.Seq != binary.BigEndian.Uint64(seq) {
		return nil, damaged(s.path, fmt.Sprintf("article %s of number %d is stored as number %x", r.Article.ID, r.Seq, seq))
	}
	return &r, nil
}

// decodeStored decodes raw into v with binary, the codec of this build's
// layout (which begins with a 0 byte, as gob never does), or as gob: stores
// made before the binary codecs hold gob records and relations.
func decodeStored[T any](raw []byte, v *T, binary func([]byte, *T) error) error {
	if len(raw) > 0 && raw[0] == 0 {
		return binary(raw, v)
	}
	return gob.NewDecoder(bytes.NewReader(raw)).Decode(v)
}

// decodeRelation decodes the relation of key.
func (s *Store) decodeRelation(key, raw []byte) (newsdedup.Relation, error) {
	var rel newsdedup.Relation
	if raw == nil {
		return rel, damaged(s.path, fmt.Sprintf("relation %q is indexed but not stored", key))
	}
	if err := decodeStored(raw, &rel, decodeBinaryRelation); err != nil {
		return rel, damaged(s.path, fmt.Sprintf("relation %q does not decode: %v", key, err))
	}
	return rel, nil
}

// rawRecord returns the stored record of id, or an ENOTFOUND error.
func (s *Store) rawRecord(tx *bbolt.Tx, id newsdedup.ArticleID) ([]byte, error) {
	var raw []byte
	if !s.byArrival {
		raw = tx.Bucket(bRecords).Get([]byte(id))
	} else if seq := tx.Bucket(bIDs).Get([]byte(id)); seq != nil {
		if raw = tx.Bucket(bArticles).Get(seq); raw == nil {
			return nil, damaged(s.path, fmt.Sprintf("article %s is listed but not stored", id))
		}
	}
	if raw == nil {
		return nil, newsdedup.Errorf(newsdedup.ENOTFOUND, "no article %s", id)
	}
	return raw, nil
}

// Get returns the record of id.
func (s *Store) Get(ctx context.Context, id newsdedup.ArticleID) (*newsdedup.Record, error) {
	var r *newsdedup.Record
	err := s.view(func(tx *bbolt.Tx, _ *caller) error {
		raw, err := s.rawRecord(tx, id)
		if err != nil {
			return err
		}
		r, err = s.decodeRecord([]byte(id), raw)
		return err
	})
	return r, err
}

// GetText is Get without the record's Sig and Anchors, which are skipped,
// not decoded (newsdedup.TextReader).
func (s *Store) GetText(ctx context.Context, id newsdedup.ArticleID) (*newsdedup.Record, error) {
	var r *newsdedup.Record
	err := s.view(func(tx *bbolt.Tx, _ *caller) error {
		raw, err := s.rawRecord(tx, id)
		if err != nil {
			return err
		}
		if len(raw) > 0 && raw[0] != 0 {
			// A gob record of an older store decodes whole.
			var err error
			r, err = s.decodeRecord([]byte(id), raw)
			if r != nil {
				r.Sig, r.Anchors = nil, nil
			}
			return err
		}
		r = new(newsdedup.Record)
		if err := decodeText(raw, r); err != nil {
			return damaged(s.path, fmt.Sprintf("article %s does not decode: %v", id, err))
		}
		if string(r.Article.ID) != string(id) {
			return damaged(s.path, fmt.Sprintf("article %s is stored as %q", id, r.Article.ID))
		}
		return nil
	})
	return r, err
}

var _ newsdedup.TextReader = (*Store)(nil)

// Has reports whether id is stored.
func (s *Store) Has(ctx context.Context, id newsdedup.ArticleID) (bool, error) {
	var ok bool
	err := s.view(func(tx *bbolt.Tx, _ *caller) error {
		if s.byArrival {
			ok = tx.Bucket(bIDs).Get([]byte(id)) != nil
		} else {
			ok = tx.Bucket(bRecords).Get([]byte(id)) != nil
		}
		return nil
	})
	return ok, err
}

// Each calls fn with every record in arrival order.
func (s *Store) Each(ctx context.Context, fn func(*newsdedup.Record) error) error {
	return s.view(func(tx *bbolt.Tx, cl *caller) error {
		records, list := tx.Bucket(bRecords), bOrder
		if s.byArrival {
			list = bArticles
		}
		c := tx.Bucket(list).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			var r *newsdedup.Record
			var err error
			if s.byArrival {
				r, err = s.decodeNumbered(k, v)
			} else {
				r, err = s.decodeRecord(v, records.Get(v))
			}
			if err != nil {
				return err
			}
			if err := cl.call(func() error { return fn(r) }); err != nil {
				return err
			}
		}
		return nil
	})
}

// EachRelation calls fn with every relation.
func (s *Store) EachRelation(ctx context.Context, fn func(newsdedup.Relation) error) error {
	return s.view(func(tx *bbolt.Tx, cl *caller) error {
		return tx.Bucket(s.relations()).ForEach(func(k, v []byte) error {
			rel, err := s.decodeRelation(k, v)
			if err != nil {
				return err
			}
			return cl.call(func() error { return fn(rel) })
		})
	})
}

// Relations returns the relations of id.
func (s *Store) Relations(ctx context.Context, id newsdedup.ArticleID) ([]newsdedup.Relation, error) {
	var out []newsdedup.Relation
	err := s.view(func(tx *bbolt.Tx, _ *caller) error {
		if s.byArrival {
			var err error
			out, err = s.relationsByArrival(tx, id)
			return err
		}
		rels := tx.Bucket(bRelations)
		prefix := append([]byte(id), 0)
		c := tx.Bucket(bRelIndex).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			rel, err := s.decodeRelation(k[len(prefix):], rels.Get(k[len(prefix):]))
			if err != nil {
				return err
			}
			out = append(out, rel)
		}
		return nil
	})
	return out, err
}

// relationsByArrival is Relations in a store of the second layout, in the
// first layout's order: by A's ID, B's ID, then kind.
func (s *Store) relationsByArrival(tx *bbolt.Tx, id newsdedup.ArticleID) ([]newsdedup.Relation, error) {
	seq := tx.Bucket(bIDs).Get([]byte(id))
	if seq == nil {
		return nil, nil
	}
	var out []newsdedup.Relation
	rels := tx.Bucket(bRels)
	// Those of which id is the later article, B...
	c := rels.Cursor()
	for k, v := c.Seek(seq); k != nil && bytes.HasPrefix(k, seq); k, v = c.Next() {
		rel, err := s.decodeRelation(k, v)
		if err != nil {
			return nil, err
		}
		out = append(out, rel)
	}
	// ...then those of which it is A.
	c = tx.Bucket(bRelsOf).Cursor()
	for k, _ := c.Seek(seq); k != nil && bytes.HasPrefix(k, seq); k, _ = c.Next() {
		if len(k) < 16 {
			return nil, damaged(s.path, fmt.Sprintf("relation key %x is cut short", k))
		}
		if bytes.Equal(k[:8], k[8:16]) {
			continue // found above
		}
		key := arrivalRelKey(k[8:16], k[:8], newsdedup.Kind(k[16:]))
		rel, err := s.decodeRelation(key, rels.Get(key))
		if err != nil {
			return nil, err
		}
		out = append(out, rel)
	}
	slices.SortFunc(out, func(x, y newsdedup.Relation) int {
		if c := strings.Compare(string(x.A), string(y.A)); c != 0 {
			return c
		}
		if c := strings.Compare(string(x.B), string(y.B)); c != 0 {
			return c
		}
		return strings.Compare(string(x.Kind), string(y.Kind))
	})
	return out, nil
}

// Counts returns the number of records and relations. It reads two
// counters Put keeps, in O(1) time.
func (s *Store) Counts(ctx context.Context) (int, int, error) {
	var a, r int
	err := s.view(func(tx *bbolt.Tx, _ *caller) error {
		if c := s.counts; c != nil {
			// Read-only: the store cannot change while s is open.
			a, r = c[0], c[1]
			return nil
		}
		var err error
		a, r, err = s.counters(tx.Bucket(bMeta))
		return err
	})
	return a, r, err
}

// count returns the number of keys in b. (Bucket.Stats would count them
// faster, but it descends into nested buckets, and a damaged value taken
// for an inline bucket can hold itself.)
func (s *Store) count(b *bbolt.Bucket) (int, error) {
	n := 0
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v == nil {
			return 0, damaged(s.path, fmt.Sprintf("key %q is a bucket", k))
		}
		n++
	}
	return n, nil
}

// PutSnapshot keeps data as the snapshot as of arrival number seq, unless
// one of a later number is kept.
func (s *Store) PutSnapshot(ctx context.Context, seq uint64, data []byte) error {
	if d := s.damage.Load(); d != nil {
		return d
	}
	if s.readOnly {
		return fmt.Errorf("put snapshot: store %s: %w", s.dir, ErrReadOnly)
	}
	return s.update(func(tx *bbolt.Tx, _ *caller) error {
		b, err := tx.CreateBucketIfNotExists(bSnapshot)
		if err != nil {
			return err
		}
		if old, _ := snapshotOf(b); old >= seq {
			return nil
		}
		if err := b.Delete(kSnapshot); err != nil {
			return err
		}
		if err := b.Put(kSnapSeq, seqKey(seq)); err != nil {
			return err
		}
		return b.Put(kSnapData, data)
	})
}

// snapshotOf returns the arrival number and data of the snapshot b holds,
// or 0 and nil. The data is bbolt's, valid while its transaction is open.
func snapshotOf(b *bbolt.Bucket) (uint64, []byte) {
	if raw, data := b.Get(kSnapSeq), b.Get(kSnapData); len(raw) == 8 && data != nil {
		return binary.BigEndian.Uint64(raw), data
	}
	if raw := b.Get(kSnapshot); len(raw) >= 8 {
		return binary.BigEndian.Uint64(raw), raw[8:]
	}
	return 0, nil
}

// Snapshot returns the latest snapshot and its arrival number, or 0 and
// nil.
func (s *Store) Snapshot(ctx context.Context) (uint64, []byte, error) {
	var seq uint64
	var data []byte
	err := s.view(func(tx *bbolt.Tx, _ *caller) error {
		b := tx.Bucket(bSnapshot)
		if b == nil {
			return nil
		}
		var raw []byte
		if seq, raw = snapshotOf(b); raw != nil {
			data = slices.Clone(raw)
		}
		return nil
	})
	return seq, data, err
}
