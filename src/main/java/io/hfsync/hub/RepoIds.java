package io.hfsync.hub;

import java.util.regex.Pattern;

/**
 * A repo id as the Hub defines it ({@code huggingface_hub}'s {@code validate_repo_id}): {@code owner/name}, each part
 * letters, digits, {@code -}, {@code _} and {@code .}, beginning and ending with a letter, digit or {@code _}, the
 * name at most 96 characters, no {@code --} or {@code ..}, no {@code .git} at the end. Nothing else is a repo: an
 * item with another id is left out of the catalog, so no id can break a URL, a link or a copy-paste command on the
 * page (a space, {@code |}, {@code ;}, {@code $( )}, a control or direction character, {@code ..}).
 */
public final class RepoIds {

    private static final String PART = "[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?";
    private static final Pattern REPO_ID = Pattern.compile(PART + "/" + PART);
    private static final int MAX_NAME = 96;

    private RepoIds() {
    }

    public static boolean isValid(String id) {
        return id != null && REPO_ID.matcher(id).matches() && id.length() - id.indexOf('/') - 1 <= MAX_NAME
                && !id.contains("--") && !id.contains("..") && !id.endsWith(".git");
    }

    /**
     * A file's path inside a repo as git stores it: relative, no empty, {@code .} or {@code ..} segment, no control
     * or format character (it becomes a download link on the page).
     */
    public static boolean isRepoPath(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return path.codePoints().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT);
    }
}
