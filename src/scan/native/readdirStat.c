/*
 * Three functions: readdirStat (one folder) and readdirStatAsync (a batch of
 * folders under a root, off the JS thread), for the scanner, and treeDigest (a whole tree,
 * for "did anything change since the last scan?").
 *
 * readdirStat(dir): one folder's entries with the metadata the scanner's
 * change test needs, in one call. Each regular file (and each entry whose type
 * the file system does not report) is stat'ed relative to the open folder
 * (fstatat on the folder's descriptor, never following symlinks): the kernel
 * resolves one name instead of the whole path, and no per-entry object is made
 * on the JS side. Node's readdirSync + lstatSync make the same system calls
 * with a full path each and a Stats object each (measured 1.3x `find`).
 *
 * Returns:
 *   - a number: the errno of opening or reading the folder (the caller throws);
 *   - [names, stats]: names joined by '\0' (a character no entry name can hold),
 *     and a Float64Array of STRIDE numbers per entry:
 *       kind   1 file, 2 folder, 3 symlink, 4 special, 5 name not valid UTF-8,
 *              or -errno when the stat failed (the entry vanished, was unreadable);
 *       size   bytes (exact up to 2^53);
 *       mtime  nanoseconds, as the 8 bytes of an int64 (read as a BigInt64Array);
 *       (spare)
 *       inoHi, inoLo   inode, as two 32-bit halves (exact for 64 bits).
 *     For folders, symlinks and special entries only kind is meaningful.
 *
 * POSIX only (Linux, macOS); elsewhere the scanner uses the JS walker.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#define NAPI_VERSION 8
#include <node_api.h>

#define STRIDE 6

enum { K_FILE = 1, K_FOLDER = 2, K_SYMLINK = 3, K_SPECIAL = 4, K_BAD_NAME = 5 };

typedef struct {
  char *data;
  size_t len, cap;
} text_t;

typedef struct {
  double *data;
  size_t len, cap;
} nums_t;

static int text_add(text_t *t, const char *s, size_t n) {
  if (t->len + n + 1 > t->cap) {
    size_t cap = t->cap ? t->cap : 4096;
    while (t->len + n + 1 > cap) cap *= 2;
    char *grown = realloc(t->data, cap);
    if (!grown) return -1;
    t->data = grown;
    t->cap = cap;
  }
  memcpy(t->data + t->len, s, n);
  t->len += n;
  return 0;
}

static double *nums_next(nums_t *v) {
  if (v->len + STRIDE > v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 64 * STRIDE;
    double *grown = realloc(v->data, cap * sizeof(double));
    if (!grown) return NULL;
    v->data = grown;
    v->cap = cap;
  }
  double *slot = v->data + v->len;
  v->len += STRIDE;
  memset(slot, 0, STRIDE * sizeof(double));
  return slot;
}

/* Well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF). */
static int valid_utf8(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) { i++; continue; }
    size_t more;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) { more = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { more = 2; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { more = 3; cp = c & 0x07; }
    else return 0;
    for (size_t k = 1; k <= more; k++) {
      if (i + k >= n || (s[i + k] & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((more == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (more == 3 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
    i += more + 1;
  }
  return 1;
}

static int kind_of_mode(mode_t mode) {
  if (S_ISREG(mode)) return K_FILE;
  if (S_ISDIR(mode)) return K_FOLDER;
  if (S_ISLNK(mode)) return K_SYMLINK;
  return K_SPECIAL;
}

static void fill_stat(double *slot, const struct stat *st) {
  slot[0] = kind_of_mode(st->st_mode);
  slot[1] = (double)st->st_size;
#ifdef __APPLE__
  struct timespec mtime = st->st_mtimespec;
#else
  struct timespec mtime = st->st_mtim;
#endif
  /* Nanoseconds as a 64-bit integer in the slot's bytes (JS reads it through a
   * BigInt64Array): one BigInt per file on the JS side instead of four. Saturates
   * outside the years 1678–2262, which no real file has. */
  int64_t ns;
  if (mtime.tv_sec > INT64_MAX / 1000000000 - 1) ns = INT64_MAX;
  else if (mtime.tv_sec < INT64_MIN / 1000000000 + 1) ns = INT64_MIN;
  else ns = (int64_t)mtime.tv_sec * 1000000000 + mtime.tv_nsec;
  memcpy(&slot[2], &ns, sizeof ns);
  uint64_t ino = (uint64_t)st->st_ino;
  slot[4] = (double)(uint32_t)(ino >> 32);
  slot[5] = (double)(uint32_t)(ino & 0xFFFFFFFFu);
}

typedef struct {
  const char *name;
  size_t len;
  size_t at;
} entry_ref_t;

static int cmp_entry(const void *a, const void *b) {
  const entry_ref_t *x = a, *y = b;
  int c = memcmp(x->name, y->name, x->len < y->len ? x->len : y->len);
  return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Puts the entries one folder added to names/nums (from names_start and
 * nums_start on) in byte order of their names, here on the worker thread:
 * UTF-8 byte order is code point order, which is the scanner's path order
 * (UTF-16 units) for every name without characters beyond U+FFFF, so the
 * JS thread finds each folder already in order (it checks, and sorts when a
 * name makes the two orders differ). Returns 0 or ENOMEM. */
static int sort_entries(text_t *names, size_t names_start, nums_t *nums, size_t nums_start) {
  size_t count = (nums->len - nums_start) / STRIDE;
  if (count < 2) return 0;
  size_t from = names_start + (names_start > 0); /* after the '\0' joining this folder's names to the ones before */
  entry_ref_t *refs = malloc(count * sizeof *refs);
  if (!refs) return ENOMEM;
  const char *p = names->data + from, *end = names->data + names->len;
  int sorted = 1;
  for (size_t i = 0; i < count; i++) {
    const char *nul = memchr(p, 0, (size_t)(end - p));
    size_t len = nul ? (size_t)(nul - p) : (size_t)(end - p);
    refs[i] = (entry_ref_t){p, len, i};
    if (i && sorted && cmp_entry(&refs[i - 1], &refs[i]) > 0) sorted = 0;
    p += len + 1;
  }
  if (sorted) {
    free(refs);
    return 0;
  }
  qsort(refs, count, sizeof *refs, cmp_entry);
  size_t text_len = names->len - from;
  char *text = malloc(text_len);
  double *stats = malloc(count * STRIDE * sizeof(double));
  if (!text || !stats) {
    free(refs);
    free(text);
    free(stats);
    return ENOMEM;
  }
  char *q = text;
  for (size_t i = 0; i < count; i++) {
    if (i) *q++ = 0;
    memcpy(q, refs[i].name, refs[i].len);
    q += refs[i].len;
    memcpy(stats + i * STRIDE, nums->data + nums_start + refs[i].at * STRIDE, STRIDE * sizeof(double));
  }
  memcpy(names->data + from, text, text_len);
  memcpy(nums->data + nums_start, stats, count * STRIDE * sizeof(double));
  free(refs);
  free(text);
  free(stats);
  return 0;
}

/* Reads the folder at `path` into names/nums, its entries in name order, each
 * name after `prefix` and a '/' when the prefix is not empty; returns 0 or an errno. */
static int list_folder(const char *path, const char *prefix, text_t *names, nums_t *nums) {
  size_t prefix_len = strlen(prefix);
  size_t names_start = names->len, nums_start = nums->len;
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno;
  DIR *dir = fdopendir(fd);
  if (!dir) {
    int err = errno;
    close(fd);
    return err;
  }
  int err = 0;
  for (;;) {
    errno = 0;
    struct dirent *e = readdir(dir);
    if (!e) {
      err = errno;
      break;
    }
    const char *name = e->d_name;
    if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0))) continue;
    size_t n = strlen(name);
    if ((names->len > 0 && text_add(names, "", 1)) ||
        (prefix_len > 0 && (text_add(names, prefix, prefix_len) || text_add(names, "/", 1))) ||
        text_add(names, name, n)) {
      err = ENOMEM;
      break;
    }
    double *slot = nums_next(nums);
    if (!slot) { err = ENOMEM; break; }
    if (!valid_utf8((const unsigned char *)name, n)) { slot[0] = K_BAD_NAME; continue; }
    int known = -1;
#ifdef DT_UNKNOWN
    switch (e->d_type) {
      case DT_DIR: known = K_FOLDER; break;
      case DT_LNK: known = K_SYMLINK; break;
      case DT_REG: known = -1; break;
      case DT_UNKNOWN: known = -1; break;
      default: known = K_SPECIAL; break;
    }
#endif
    if (known > 0) { slot[0] = known; continue; }
    struct stat st;
    if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) { slot[0] = -(double)errno; continue; }
    fill_stat(slot, &st);
  }
  closedir(dir); /* closes fd */
  return err ? err : sort_entries(names, names_start, nums, nums_start);
}

static napi_value fail(napi_env env, const char *what) {
  napi_throw_error(env, "E_NATIVE_WALK", what);
  return NULL;
}

/* A JS string as a malloc'd UTF-8 C string (the caller frees it); NULL if not a string or out of memory. */
static char *string_arg(napi_env env, napi_value value) {
  size_t len;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &len) != napi_ok) return NULL;
  char *s = malloc(len + 1);
  if (s) napi_get_value_string_utf8(env, value, s, len + 1, &len);
  return s;
}

/* Queues `execute` on a libuv worker thread and `complete` back on the JS thread;
 * returns the Promise the job settles through *deferred, or NULL (nothing queued). */
static napi_value queue_promise_work(napi_env env, const char *resource, napi_async_execute_callback execute,
                                     napi_async_complete_callback complete, void *job, napi_deferred *deferred,
                                     napi_async_work *work) {
  napi_value promise, name;
  if (napi_create_promise(env, deferred, &promise) != napi_ok ||
      napi_create_string_utf8(env, resource, NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_async_work(env, NULL, name, execute, complete, job, work) != napi_ok ||
      napi_queue_async_work(env, *work) != napi_ok) {
    return NULL;
  }
  return promise;
}

/* A listing as JS sees it: the errno when `err`, else [names, stats]. Frees the buffers. */
static napi_value listing_value(napi_env env, int err, text_t *names, nums_t *nums) {
  napi_value result = NULL;
  napi_status ok;
  if (err) {
    ok = napi_create_int32(env, err, &result);
  } else {
    napi_value js_names, buffer, array;
    void *raw;
    ok = napi_create_string_utf8(env, names->data ? names->data : "", names->len, &js_names);
    if (ok == napi_ok) ok = napi_create_arraybuffer(env, nums->len * sizeof(double), &raw, &buffer);
    if (ok == napi_ok && nums->len) memcpy(raw, nums->data, nums->len * sizeof(double));
    if (ok == napi_ok) ok = napi_create_typedarray(env, napi_float64_array, nums->len, buffer, 0, &array);
    if (ok == napi_ok) ok = napi_create_array_with_length(env, 2, &result);
    if (ok == napi_ok) ok = napi_set_element(env, result, 0, js_names);
    if (ok == napi_ok) ok = napi_set_element(env, result, 1, array);
  }
  free(names->data);
  free(nums->data);
  names->data = NULL;
  nums->data = NULL;
  return ok == napi_ok ? result : NULL;
}

static napi_value readdir_stat(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) return fail(env, "readdirStat(path) needs a path");
  char *path = string_arg(env, argv[0]);
  if (!path) return fail(env, "readdirStat(path): path must be a string");
  text_t names = {0};
  nums_t nums = {0};
  int err = list_folder(path, "", &names, &nums);
  free(path);
  napi_value result = listing_value(env, err, &names, &nums);
  return result ? result : fail(env, "could not build the result");
}

/* ---- readdirStatAsync(root, dirs): many folders' listings, read on a libuv worker thread ----
 * `dirs` are paths relative to `root` ('/'-separated, '' for root itself).
 * Returns a Promise (it never rejects for a folder that cannot be read) of
 * [paths, stats, counts]: every entry of every listed folder as its path
 * relative to root (dir + '/' + name), joined by '\0', folder after folder in
 * the order of `dirs`; their stats one after another as readdirStat lays them
 * out; and per folder its number of entries, or -errno when it could not be
 * read (it then adds no paths and no stats). Paths, not names: the scanner
 * keys its records by these strings, and making them here saves the JS
 * thread a concatenation per entry. One job lists a batch: a thread hand-off
 * and a promise per folder cost the JS thread ~10 us, as much as turning a
 * folder of 20 entries into records. The scanner keeps batches in flight, so
 * the walk's system calls run on the worker threads while the JS thread turns
 * finished listings into records. */

typedef struct {
  char *root;
  char **paths;
  uint32_t n;
  text_t names;
  nums_t nums;
  int32_t *counts;
  napi_deferred deferred;
  napi_async_work work;
} list_job_t;

static void free_list_job(list_job_t *job) {
  for (uint32_t i = 0; i < job->n; i++) free(job->paths[i]);
  free(job->paths);
  free(job->root);
  free(job->counts);
  free(job->names.data);
  free(job->nums.data);
  free(job);
}

static void list_execute(napi_env env, void *data) {
  (void)env;
  list_job_t *job = data;
  size_t root_len = strlen(job->root);
  char *path = NULL;
  size_t cap = 0;
  for (uint32_t i = 0; i < job->n; i++) {
    size_t names_len = job->names.len, nums_len = job->nums.len;
    const char *dir = job->paths[i];
    size_t dir_len = strlen(dir), need = root_len + 1 + dir_len + 1;
    int err = 0;
    if (need > cap) {
      char *grown = realloc(path, need);
      if (grown) { path = grown; cap = need; } else err = ENOMEM;
    }
    if (!err) {
      memcpy(path, job->root, root_len);
      if (dir_len) { path[root_len] = '/'; memcpy(path + root_len + 1, dir, dir_len + 1); }
      else path[root_len] = 0;
      err = list_folder(path, dir, &job->names, &job->nums);
    }
    if (err) { /* what the folder added before failing goes: it reads as unreadable, not as half listed */
      job->names.len = names_len;
      job->nums.len = nums_len;
      job->counts[i] = -err;
    } else {
      job->counts[i] = (int32_t)((job->nums.len - nums_len) / STRIDE);
    }
  }
  free(path);
}

static void list_complete(napi_env env, napi_status status, void *data) {
  list_job_t *job = data;
  napi_value result = NULL, counts, buffer;
  void *raw;
  if (status == napi_ok &&
      (result = listing_value(env, 0, &job->names, &job->nums)) != NULL &&
      napi_create_arraybuffer(env, job->n * sizeof(int32_t), &raw, &buffer) == napi_ok &&
      napi_create_typedarray(env, napi_int32_array, job->n, buffer, 0, &counts) == napi_ok &&
      napi_set_element(env, result, 2, counts) == napi_ok) {
    if (job->n) memcpy(raw, job->counts, job->n * sizeof(int32_t));
    napi_resolve_deferred(env, job->deferred, result);
  } else {
    napi_value message, error;
    napi_create_string_utf8(env, "readdirStatAsync: could not build the result", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &error);
    napi_reject_deferred(env, job->deferred, error);
  }
  napi_delete_async_work(env, job->work);
  free_list_job(job);
}

static napi_value readdir_stat_async(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  uint32_t n = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 || napi_get_array_length(env, argv[1], &n) != napi_ok) {
    return fail(env, "readdirStatAsync(root, dirs) needs a root and an array of paths");
  }
  list_job_t *job = calloc(1, sizeof(list_job_t));
  if (!job || !(job->paths = calloc(n ? n : 1, sizeof(char *))) || !(job->counts = calloc(n ? n : 1, sizeof(int32_t)))) {
    if (job) free_list_job(job);
    return fail(env, "out of memory");
  }
  if (!(job->root = string_arg(env, argv[0]))) {
    free_list_job(job);
    return fail(env, "readdirStatAsync(root, dirs): root must be a string");
  }
  for (uint32_t i = 0; i < n; i++) {
    napi_value item;
    if (napi_get_element(env, argv[1], i, &item) != napi_ok || !(job->paths[i] = string_arg(env, item))) {
      free_list_job(job);
      return fail(env, "readdirStatAsync(root, dirs): every path must be a string");
    }
    job->n = i + 1;
  }
  napi_value promise = queue_promise_work(env, "feisync.readdirStat", list_execute, list_complete, job, &job->deferred, &job->work);
  if (!promise) {
    free_list_job(job);
    return fail(env, "readdirStatAsync: could not start the listing");
  }
  return promise;
}

/* ---- treeDigest(root, prune, seed?): has anything under root changed? ----
 *
 * Walks the whole tree (fstatat relative to each open folder, never following
 * symlinks) and returns a 64-bit digest (16 hex digits) of every entry's path,
 * kind, and for files size, mtime (s, ns) and inode. Entries whose path
 * relative to root is in `prune` (the scan's ignored paths) count by path
 * only: not stat'ed, not entered. The digest is a sum of per-entry hashes, so
 * readdir order does not matter; the hash is keyed by a seed (16 hex digits:
 * the index keeps one, so digests compare across runs; without it, one drawn
 * per process), so no file name can be crafted to collide without the seed,
 * which stays in the user's private state folder. Returns null when some folder
 * could not be read (the caller then scans as usual). Runs on a libuv worker
 * thread and returns a Promise.
 */

static uint64_t digest_seed;

static uint64_t mix64(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

static uint64_t hash_bytes(uint64_t h, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
  return h;
}

static uint64_t hash_num(uint64_t h, uint64_t v) {
  return mix64(h ^ mix64(v + 0x9e3779b97f4a7c15ULL));
}

typedef struct {
  uint64_t seed;
  char **prune;
  size_t prune_n;
  char path[4096 * 2];
  uint64_t sum;
  int failed;
} walk_t;

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int pruned(walk_t *w, const char *rel) {
  if (!w->prune_n) return 0;
  const char *key = rel;
  return bsearch(&key, w->prune, w->prune_n, sizeof(char *), cmp_str) != NULL;
}

/* `len`: length of w->path (the folder's path relative to root, "" for root). */
/* The root may be a symlink the user chose to map; below it, none is followed. */
static void walk_folder(walk_t *w, int parent_fd, const char *name, size_t len) {
  int fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (len || parent_fd != AT_FDCWD ? O_NOFOLLOW : 0));
  if (fd < 0) { w->failed = 1; return; }
  DIR *dir = fdopendir(fd);
  if (!dir) { close(fd); w->failed = 1; return; }
  for (;;) {
    errno = 0;
    struct dirent *e = readdir(dir);
    if (!e) { if (errno) w->failed = 1; break; }
    const char *n = e->d_name;
    if (n[0] == '.' && (n[1] == 0 || (n[1] == '.' && n[2] == 0))) continue;
    size_t nlen = strlen(n);
    if (len + 1 + nlen + 1 > sizeof w->path) { w->failed = 1; continue; }
    size_t at = len;
    if (len) w->path[at++] = '/';
    memcpy(w->path + at, n, nlen + 1);
    size_t rel_len = at + nlen;
    uint64_t h = hash_bytes(w->seed ^ 0xcbf29ce484222325ULL, w->path, rel_len);
    if (pruned(w, w->path)) {
      w->sum += hash_num(h, 0xff);
    } else {
      struct stat st;
      if (fstatat(fd, n, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        w->failed = 1;
      } else {
        int kind = kind_of_mode(st.st_mode);
        h = hash_num(h, (uint64_t)kind);
        if (kind == K_FILE) {
#ifdef __APPLE__
          h = hash_num(hash_num(h, (uint64_t)st.st_mtimespec.tv_sec), (uint64_t)st.st_mtimespec.tv_nsec);
#else
          h = hash_num(hash_num(h, (uint64_t)st.st_mtim.tv_sec), (uint64_t)st.st_mtim.tv_nsec);
#endif
          h = hash_num(hash_num(h, (uint64_t)st.st_size), (uint64_t)st.st_ino);
        }
        w->sum += h;
        if (kind == K_FOLDER) walk_folder(w, fd, n, rel_len);
      }
    }
    w->path[len] = 0;
  }
  closedir(dir);
}

typedef struct {
  walk_t *w;
  char *root;
  napi_deferred deferred;
  napi_async_work work;
} digest_job_t;

static void free_job(digest_job_t *job) {
  if (job->w) {
    for (size_t i = 0; i < job->w->prune_n; i++) free(job->w->prune[i]);
    free(job->w->prune);
  }
  free(job->w);
  free(job->root);
  free(job);
}

/* On a libuv worker thread: the walk never blocks the JS thread (the app's tray). */
static void digest_execute(napi_env env, void *data) {
  (void)env;
  digest_job_t *job = data;
  qsort(job->w->prune, job->w->prune_n, sizeof(char *), cmp_str);
  walk_folder(job->w, AT_FDCWD, job->root, 0);
}

static void digest_complete(napi_env env, napi_status status, void *data) {
  digest_job_t *job = data;
  napi_value result;
  if (status != napi_ok || job->w->failed) {
    napi_get_null(env, &result);
  } else {
    char hex[17];
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) hex[i] = digits[(job->w->sum >> (60 - 4 * i)) & 0xF];
    hex[16] = 0;
    napi_create_string_utf8(env, hex, 16, &result);
  }
  napi_resolve_deferred(env, job->deferred, result);
  napi_delete_async_work(env, job->work);
  free_job(job);
}

/* The seed written as 16 hex digits; 0 (no seed) for anything else. */
static int parse_seed(const char *hex, uint64_t *seed) {
  uint64_t v = 0;
  size_t i = 0;
  for (; hex[i]; i++) {
    char c = hex[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0 || i >= 16) return 0;
    v = (v << 4) | (uint64_t)d;
  }
  if (i != 16) return 0;
  *seed = v;
  return 1;
}

/* treeDigest(root, prune, seed?): Promise<string | null>. */
static napi_value tree_digest(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2) return fail(env, "treeDigest(root, prune, seed?) needs a root and a prune list");
  uint32_t n = 0;
  if (napi_get_array_length(env, argv[1], &n) != napi_ok) return fail(env, "treeDigest: prune must be an array of strings");
  digest_job_t *job = calloc(1, sizeof(digest_job_t));
  if (!job) return fail(env, "out of memory");
  job->w = calloc(1, sizeof(walk_t));
  if (!job->w || (n && !(job->w->prune = calloc(n, sizeof(char *))))) { free_job(job); return fail(env, "out of memory"); }
  if (!(job->root = string_arg(env, argv[0]))) { free_job(job); return fail(env, "treeDigest: root must be a string"); }
  job->w->seed = digest_seed;
  napi_valuetype seed_type = napi_undefined;
  if (argc >= 3) napi_typeof(env, argv[2], &seed_type);
  if (seed_type != napi_undefined) {
    char *hex = string_arg(env, argv[2]);
    int ok = hex && parse_seed(hex, &job->w->seed);
    free(hex);
    if (!ok) { free_job(job); return fail(env, "treeDigest: seed must be 16 lowercase hex digits"); }
  }
  for (uint32_t i = 0; i < n; i++) {
    napi_value item;
    if (napi_get_element(env, argv[1], i, &item) != napi_ok || !(job->w->prune[i] = string_arg(env, item))) {
      free_job(job);
      return fail(env, "treeDigest: prune must be an array of strings");
    }
    job->w->prune_n = i + 1;
  }
  napi_value promise = queue_promise_work(env, "feisync.treeDigest", digest_execute, digest_complete, job, &job->deferred, &job->work);
  if (!promise) {
    free_job(job);
    return fail(env, "treeDigest: could not start the walk");
  }
  return promise;
}

static napi_value init(napi_env env, napi_value exports) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  digest_seed = mix64((uint64_t)now.tv_nsec ^ ((uint64_t)now.tv_sec << 20) ^ (uint64_t)getpid() ^ (uint64_t)(uintptr_t)&now);
  static const struct { const char *name; napi_callback fn; } functions[] = {
    {"readdirStat", readdir_stat}, {"readdirStatAsync", readdir_stat_async}, {"treeDigest", tree_digest},
  };
  for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++) {
    napi_value fn;
    if (napi_create_function(env, functions[i].name, NAPI_AUTO_LENGTH, functions[i].fn, NULL, &fn) != napi_ok) return NULL;
    if (napi_set_named_property(env, exports, functions[i].name, fn) != napi_ok) return NULL;
  }
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
