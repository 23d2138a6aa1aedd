package io.ordercqrs.command.web;

import io.ordercqrs.service.web.InvalidRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Aggregate versions as HTTP entity tags: version 3 is {@code "3"}. */
public final class EntityTags {

    private static final Pattern VERSION_TAG = Pattern.compile("^\\s*(?:W/)?\"(\\d{1,18})\"\\s*$");

    private EntityTags() {
    }

    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /**
     * The version an {@code If-Match} header asks for, or {@code null} without one ({@code *} asks
     * for nothing more than existence).
     *
     * @throws InvalidRequest when the header is not a single version tag
     */
    public static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        Matcher matcher = VERSION_TAG.matcher(ifMatch);
        if (!matcher.matches()) {
            throw new InvalidRequest("If-Match", "must be one entity tag with a version, such as \"3\"");
        }
        return Long.parseLong(matcher.group(1));
    }
}
