/* diag.h - diagnostics recorded by the library, printed only by cli/. */
#ifndef DS_COMMON_DIAG_H
#define DS_COMMON_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds_arena;

enum ds_severity {
	DS_SEV_ERROR,
	DS_SEV_WARNING,
	DS_SEV_INFO,
	DS_SEV_STYLE,
	DS_SEV_NOTE, /* explanations of convert, never a finding */
	DS_SEV_NONE, /* used as "never" for thresholds */
};

/* "error", "warning", "info", "style", "note". */
const char *ds_severity_name(enum ds_severity s);
/* Parses a severity name; returns -1 when unknown. */
int ds_severity_parse(const char *s);

/*
 * One finding or error. off/end are byte offsets into the source; when
 * has_pos is 0 the diagnostic concerns the whole file. code is a static
 * string such as "DST101", or NULL for plain front-end errors.
 */
struct ds_diag {
	const char *code;
	const char *msg; /* lower case, no final full stop; owned by the arena (may be shared) */
	uint32_t off, end; /* sources are under 4 GiB: ds_parse refuses bigger ones */
	unsigned seq; /* insertion order, for a stable sort */
	enum ds_severity sev;
	bool has_pos;
};

/* A list of diagnostics whose storage lives in an arena. */
struct ds_diags {
	struct ds_diag *v;
	size_t n, cap;
};

/*
 * Appends a diagnostic; the message is copied into the arena, unless one
 * of the last few diagnostics has the same text (a file with 100,000
 * consecutive RUNs has as many identical findings): then it is shared.
 * Offsets past UINT32_MAX are clamped.
 */
struct ds_diag *ds_diags_add(struct ds_diags *d, struct ds_arena *a, enum ds_severity sev,
			     const char *code, size_t off, size_t end, const char *msg);
struct ds_diag *ds_diags_addf(struct ds_diags *d, struct ds_arena *a, enum ds_severity sev,
			      const char *code, size_t off, size_t end, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
/* Stable sort by offset, then code. */
void ds_diags_sort(struct ds_diags *d);

#endif
