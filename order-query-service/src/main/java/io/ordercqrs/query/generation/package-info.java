/**
 * View generations: each a complete set of views fed by its own consumer group. One document names
 * the active generation every instance serves; a rebuild is a new generation that every instance
 * consumes for, and switches in with one conditional update when it has caught up.
 */
@NullMarked
package io.ordercqrs.query.generation;

import org.jspecify.annotations.NullMarked;
