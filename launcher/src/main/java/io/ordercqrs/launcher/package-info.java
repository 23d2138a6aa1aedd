/** Runs the whole stack on one machine without Docker, keeping its data in a local folder. */
package io.ordercqrs.launcher;
