package io.ordercqrs.query.projection;

/**
 * One complete set of view collections. Each view generation has its own set (generation
 * {@code n} adds {@code _g<n>} to each view's name); checks and tests project into scratch sets of
 * their own. Repositories are bound to a set once, instead of being handed
 * collection names call by call.
 *
 * @param generation the generation the set belongs to, {@code 0} for a scratch set
 * @param suffix     what is appended to each view's base name
 */
public record ViewSet(long generation, String suffix) {

    /** The collections of generation {@code n}. */
    public static ViewSet generation(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("Generations count from 1, not " + n);
        }
        return new ViewSet(n, "_g" + n);
    }

    /** A scratch set, never served and never swept as a generation's. */
    public static ViewSet scratch(String name) {
        if (!name.matches("[a-z0-9_]+") || name.matches("(.*_)?g\\d+")) {
            throw new IllegalArgumentException("Not a scratch set name: " + name);
        }
        return new ViewSet(0, "_" + name);
    }

    /** The collection of the view named {@code view}. */
    public String collection(String view) {
        return view + suffix;
    }
}
