package io.ordercqrs.localservers;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import de.bwaldvogel.mongo.backend.KeyValue;
import org.h2.mvstore.type.ObjectDataType;

/**
 * The order of the stand-in's unique index keys in its data file, unchanged: by their serialized
 * bytes, as H2's {@link ObjectDataType} orders keys of a type it does not know. That type
 * serializes both keys again at every comparison, a dozen or more per lookup, and an insert looks
 * its key up three times: under HTTP load on {@code ./run} that was a quarter of the store's CPU,
 * and the views' writes queued behind it. This one serializes each key once while the key is in
 * memory (a looked-up key for its lookup, a stored key while its page is cached), so the order,
 * and every file written before, stay as they were.
 */
final class SerializedKeyOrder extends ObjectDataType {

    /** By identity (weak keys), so two keys that are equal but serialize apart never share bytes. */
    private final Cache<Object, byte[]> serialized = Caffeine.newBuilder().weakKeys().maximumSize(200_000).build();

    @Override
    public int compare(Object a, Object b) {
        if (a != b && a instanceof KeyValue && b instanceof KeyValue) {
            return compareNotNull(bytesOf(a), bytesOf(b));
        }
        return super.compare(a, b);
    }

    private byte[] bytesOf(Object key) {
        return serialized.get(key, ObjectDataType::serialize);
    }
}
