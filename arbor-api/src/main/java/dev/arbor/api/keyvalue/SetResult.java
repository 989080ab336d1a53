package dev.arbor.api.keyvalue;

import java.util.Optional;

/**
 * What {@link KeyValueStore#set} did.
 *
 * @param status   {@link KeyStatus#INSERTED}, {@link KeyStatus#UPDATED} or {@link KeyStatus#NOT_CHANGED}
 *                 (a condition of the options was not met)
 * @param previous the value before the call, when {@link SetOptions#returnPrevious()} asked for it and
 *                 there was one; always empty otherwise
 */
public record SetResult(KeyStatus status, Optional<Value> previous) {}
