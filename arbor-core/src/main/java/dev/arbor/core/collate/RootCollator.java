package dev.arbor.core.collate;

import com.ibm.icu.text.Collator;
import com.ibm.icu.text.RawCollationKey;
import com.ibm.icu.text.RuleBasedCollator;
import com.ibm.icu.util.ULocale;

/**
 * The one ICU collator behind every string comparison, configured exactly as CouchDB's
 * {@code couch_ejson_compare.c} configures its own: {@code ucol_open("")}, the root locale with every attribute
 * left at its default (tertiary strength, normalization off, punctuation non-ignorable, no case-first,
 * no numeric ordering). CouchDB sets no attribute, so neither do we.
 *
 * <p>A frozen ICU collator is immutable and safe to share between threads; ICU serializes its internal scratch
 * buffer with a lock, which costs an uncontended lock acquisition per call.
 */
final class RootCollator {
    private static final RuleBasedCollator COLLATOR = createFrozen();

    private RootCollator() {}

    private static RuleBasedCollator createFrozen() {
        RuleBasedCollator collator = (RuleBasedCollator) Collator.getInstance(ULocale.ROOT);
        collator.freeze();
        return collator;
    }

    /**
     * ICU's verdict, unrefined. Two different strings that ICU calls equal (canonically equivalent forms such as
     * precomposed {@code "é"} and {@code "e\u0301"}, or strings differing only by completely ignorable characters
     * such as U+0000) compare 0: CouchDB returns {@code ucol_strcollIter}'s result as is, with no code point
     * tie-break, and leaves rows with equal keys to be ordered by document id.
     */
    static int compare(String a, String b) {
        return Integer.signum(COLLATOR.compare(a, b));
    }

    /**
     * The ICU sort key of {@code s}: bytes whose unsigned order is {@link #compare}'s order, and which are equal
     * exactly when {@code compare} returns 0. ICU ends every sort key with a single 0x00 byte and uses no 0x00
     * anywhere before it, which is what makes the key self-delimiting inside a longer encoding.
     */
    static RawCollationKey sortKey(String s) {
        return COLLATOR.getRawCollationKey(s, null);
    }

    /** ICU's version of this collator's data: sort keys from collators of different versions do not compare. */
    static String version() {
        return COLLATOR.getVersion().toString();
    }
}
