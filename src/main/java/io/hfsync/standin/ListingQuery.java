package io.hfsync.standin;

import java.util.List;

/**
 * A validated {@code GET /api/models} request.
 *
 * @param tags        every {@code filter} value; a repo must carry all of them
 * @param search      case-insensitive substring of the id, or null
 * @param author      exact owner, or null
 * @param pipelineTag exact task, or null
 * @param order       {@code sort}
 * @param limit       page size
 * @param expand      requested fields; empty for the default item shape
 * @param full        {@code full=true}
 * @param after       position of the previous page's last item, or null for the first page
 */
record ListingQuery(List<String> tags, String search, String author, String pipelineTag, ListingOrder order,
        int limit, List<String> expand, boolean full, ListingCursor after) {

    /** The real Hub's default and ceiling. */
    static final int MAX_LIMIT = 1000;

    static ListingQuery from(QueryParams params) {
        List<String> expand = ExpandFields.from(params);
        boolean full = isTrue(params.last("full"));
        if (full && !expand.isEmpty()) {
            throw new HubError(400, "Cannot use \"expand\" together with \"full\"");
        }
        ListingOrder order = ListingOrder.fromParam(params.last("sort"));
        String cursor = params.last("cursor");
        return new ListingQuery(params.all("filter"), emptyToNull(params.last("search")),
                emptyToNull(params.last("author")), emptyToNull(params.last("pipeline_tag")), order,
                limitFrom(params.last("limit")), expand, full,
                cursor == null || cursor.isEmpty() ? null : ListingCursor.decode(cursor, order.wireName()));
    }

    boolean matches(HubRepo repo) {
        return repo.tags().containsAll(tags)
                && (search == null || repo.id().toLowerCase(java.util.Locale.ROOT)
                        .contains(search.toLowerCase(java.util.Locale.ROOT)))
                && (author == null || author.equals(repo.owner()))
                && (pipelineTag == null || pipelineTag.equals(repo.pipelineTag()));
    }

    /** Public repos are seen by everyone; a private one only by its owner's token (anonymous: viewer null). */
    static boolean visibleTo(HubRepo repo, String viewer) {
        return !repo.isPrivate() || repo.owner().equals(viewer);
    }

    private static int limitFrom(String value) {
        if (value == null || value.isEmpty()) {
            return MAX_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit < 1) {
                throw new HubError(400, "\"limit\" must be a positive integer");
            }
            return Math.min(limit, MAX_LIMIT);
        } catch (NumberFormatException e) {
            throw new HubError(400, "\"limit\" must be a positive integer");
        }
    }

    private static boolean isTrue(String value) {
        return "true".equalsIgnoreCase(value) || "1".equals(value);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
