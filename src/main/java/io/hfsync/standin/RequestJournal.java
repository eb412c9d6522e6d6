package io.hfsync.standin;

import java.util.ArrayList;
import java.util.List;

/** What the stand-in Hub was asked, for tests to check how a client behaved. */
final class RequestJournal {

    /** Which counter a request adds to besides the total. */
    enum Kind { LISTING, DETAIL, RESOLVE, OTHER }

    private final List<String> requestLines = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();
    private int listings;
    private int details;
    private int resolves;
    private int rateLimited;
    private int rateLimitedDetails;

    synchronized void record(String requestLine, String authorization, Kind kind) {
        requestLines.add(requestLine);
        authorizations.add(authorization);
        if (kind == Kind.LISTING) {
            listings++;
        } else if (kind == Kind.DETAIL) {
            details++;
        } else if (kind == Kind.RESOLVE) {
            resolves++;
        }
    }

    /** A recorded request of this kind was answered 429 (over the rate-limit quota). */
    synchronized void rateLimited(Kind kind) {
        rateLimited++;
        if (kind == Kind.DETAIL) {
            rateLimitedDetails++;
        }
    }

    synchronized int rateLimitedRequests() {
        return rateLimited;
    }

    synchronized int rateLimitedDetailRequests() {
        return rateLimitedDetails;
    }

    synchronized int requests() {
        return requestLines.size();
    }

    synchronized int listingRequests() {
        return listings;
    }

    synchronized int detailRequests() {
        return details;
    }

    synchronized int resolveRequests() {
        return resolves;
    }

    synchronized List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    /** Copy that may hold nulls (requests without the header), hence not List.copyOf. */
    synchronized List<String> authorizations() {
        return java.util.Collections.unmodifiableList(new ArrayList<>(authorizations));
    }

    synchronized void reset() {
        requestLines.clear();
        authorizations.clear();
        listings = 0;
        details = 0;
        resolves = 0;
        rateLimited = 0;
        rateLimitedDetails = 0;
    }
}
