package dev.parley.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Malformed and adversarial inputs for {@code HostileInputTest}: text values, JSON values of the
 * wrong type, whole request bodies, path segments and query values. Everything is deterministic,
 * so a failure names an input that reproduces it.
 */
public final class HostileCorpus {

    private HostileCorpus() {
    }

    /** A JSON value written as is, e.g. a number too large for any Java type. */
    public record RawJson(String text) {
    }

    /** A named input, so that failures say which one it was. */
    public record Named<T>(String name, T value) {
    }

    /**
     * Text that a field might receive. Some are valid (markup, SQL, right-to-left marks, emoji:
     * stored and returned exactly as sent); others cannot be stored faithfully (NUL, lone
     * surrogates) and must be refused.
     */
    public static List<Named<String>> texts() {
        List<Named<String>> texts = new ArrayList<>();
        texts.add(new Named<>("empty", ""));
        texts.add(new Named<>("blank", " \t "));
        texts.add(new Named<>("html-script", "<script>alert('x')</script> hello"));
        texts.add(new Named<>("html-attribute", "\"><img src=x onerror=alert(1)> hi"));
        texts.add(new Named<>("sql-drop", "'; DROP TABLE posts; --"));
        texts.add(new Named<>("sql-or", "' OR '1'='1"));
        texts.add(new Named<>("sql-sleep", "1); SELECT pg_sleep(5); --"));
        texts.add(new Named<>("dollar-quote", "$$; DELETE FROM users; $$"));
        texts.add(new Named<>("backslashes", "C:\\temp\\new\\\\x"));
        texts.add(new Named<>("template", "${jndi:ldap://x/a} {{7*7}} #{1+1}"));
        texts.add(new Named<>("rtl-override", "abc\u202Egnp.exe\u202C def"));
        texts.add(new Named<>("combining", "Ze\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301 text"));
        texts.add(new Named<>("emoji-zwj", "family \uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67 fire \uD83D\uDD25"));
        texts.add(new Named<>("astral-math", "\uD835\uDD73\uD835\uDD8A\uD835\uDD91\uD835\uDD91\uD835\uDD94 world"));
        texts.add(new Named<>("zero-width", "in\u200Bvis\u200Dible\uFEFF text"));
        texts.add(new Named<>("fullwidth", "\uFF26\uFF35\uFF2C\uFF2C width"));
        texts.add(new Named<>("noncharacters", "edge \uFFFF \uFFFE \uFDD0 chars"));
        texts.add(new Named<>("controls", "line\r\nbreak\ttab\u0007bell\u001Bescape"));
        texts.add(new Named<>("cjk-arabic", "\u4F60\u597D \u0645\u0631\u062D\u0628\u0627 \u05E9\u05DC\u05D5\u05DD"));
        texts.add(new Named<>("nul-inside", "before\u0000after"));
        texts.add(new Named<>("nul-only", "\u0000"));
        texts.add(new Named<>("lone-high-surrogate", "broken \uD800 pair"));
        texts.add(new Named<>("lone-low-surrogate", "broken \uDC00 pair"));
        texts.add(new Named<>("reversed-surrogates", "broken \uDC00\uD800 pair"));
        texts.add(new Named<>("path-traversal", "../../../etc/passwd"));
        texts.add(new Named<>("percent-nul", "%00%2e%2e%2f"));
        texts.add(new Named<>("long-word", "x".repeat(40_000)));
        texts.add(new Named<>("json-looking", "{\"role\":\"admin\"}"));
        return texts;
    }

    /** Values of the wrong JSON type, or numbers no field can hold. */
    public static List<Named<Object>> wrongValues() {
        List<Named<Object>> values = new ArrayList<>();
        values.add(new Named<>("integer", new RawJson("123")));
        values.add(new Named<>("negative", new RawJson("-1")));
        values.add(new Named<>("fraction", new RawJson("1.5")));
        values.add(new Named<>("boolean", new RawJson("true")));
        values.add(new Named<>("null", new RawJson("null")));
        values.add(new Named<>("array", new RawJson("[]")));
        values.add(new Named<>("array-of-numbers", new RawJson("[1, 2]")));
        values.add(new Named<>("object", new RawJson("{}")));
        values.add(new Named<>("operator-object", new RawJson("{\"$gt\": \"\"}")));
        values.add(new Named<>("string", "1"));
        values.add(new Named<>("huge-exponent", new RawJson("1e309")));
        values.add(new Named<>("tiny-exponent", new RawJson("1e-400")));
        values.add(new Named<>("past-long", new RawJson("9223372036854775808")));
        values.add(new Named<>("forty-digits", new RawJson("1234567890123456789012345678901234567890")));
        values.add(new Named<>("negative-zero", new RawJson("-0")));
        return values;
    }

    /** Whole bodies that are not the JSON a route expects. */
    public static List<Named<byte[]>> bodies() {
        List<Named<byte[]>> bodies = new ArrayList<>();
        for (String[] text : new String[][]{
                {"empty", ""}, {"open-brace", "{"}, {"close-brace", "}"}, {"unterminated-string", "{\"a\": \"b"},
                {"missing-value", "{\"a\":}"}, {"single-quotes", "{'a': 1}"}, {"trailing-comma", "{\"a\": 1,}"},
                {"bare-word", "nul"}, {"nan", "{\"a\": NaN}"}, {"comment", "/* x */ {}"}, {"string", "\"text\""},
                {"number", "123"}, {"null", "null"}, {"array", "[]"}, {"array-of-objects", "[{}, {}]"},
                {"two-documents", "{} {}"}, {"duplicate-keys", "{\"body\": \"a\", \"body\": \"b\", \"title\": 1, \"title\": \"t\"}"},
                {"unknown-fields", "{\"role\": \"admin\", \"id\": 1, \"authorId\": 1, \"status\": \"published\"}"},
                {"prototype-pollution", "{\"__proto__\": {\"admin\": true}, \"constructor\": {\"prototype\": {}}}"},
                {"deep-arrays", "[".repeat(5_000) + "]".repeat(5_000)},
                {"deep-objects", "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000)},
                {"many-keys", manyKeys(3_000)},
                {"huge-number", "{\"value\": " + "9".repeat(1_000) + "}"},
                {"huge-exponent", "{\"value\": 1e999999999}"},
                {"escaped-nul", "{\"body\": \"a\\u0000b\", \"title\": \"\\u0000\", \"reason\": \"\\u0000\"}"},
                {"escaped-lone-surrogate", "{\"body\": \"a\\ud800b\", \"title\": \"\\udfff\", \"reason\": \"\\ud800\"}"},
                {"bad-escape", "{\"body\": \"\\x41\"}"}}) {
            bodies.add(new Named<>(text[0], text[1].getBytes(StandardCharsets.UTF_8)));
        }
        bodies.add(new Named<>("raw-nul-byte", new byte[]{'{', '"', 'b', 'o', 'd', 'y', '"', ':', '"', 'a', 0, 'b', '"', '}'}));
        bodies.add(new Named<>("invalid-utf8", new byte[]{'{', '"', 'b', 'o', 'd', 'y', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'}));
        bodies.add(new Named<>("lone-ff-byte", new byte[]{'{', '"', 'b', 'o', 'd', 'y', '"', ':', '"', (byte) 0xFF, '"', '}'}));
        bodies.add(new Named<>("overlong-slash", new byte[]{'{', '"', 'b', 'o', 'd', 'y', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}));
        bodies.add(new Named<>("utf8-encoded-surrogate", new byte[]{'{', '"', 'b', 'o', 'd', 'y', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}));
        bodies.add(new Named<>("truncated-multibyte", new byte[]{'{', '"', 'b', 'o', 'd', 'y', '"', ':', '"', (byte) 0xE2, (byte) 0x82, '"', '}'}));
        bodies.add(new Named<>("utf16", "{\"body\": \"x\"}".getBytes(StandardCharsets.UTF_16)));
        bodies.add(new Named<>("binary", binary(512)));
        bodies.add(new Named<>("just-over-64k", ("{\"body\": \"" + "a".repeat(64 * 1024) + "\"}").getBytes(StandardCharsets.US_ASCII)));
        return bodies;
    }

    /**
     * Path segment values, already percent-encoded where needed: numbers out of range, not
     * numbers, encoded NUL and slashes, traversal, injection, overlong values, non-ASCII digits.
     */
    public static List<String> pathValues() {
        return List.of("0", "-1", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
                "99999999999999999999999999", "1.5", "1e3", "0x10", "+1", "abc", "null", "%00", "1%00", "%2e%2e",
                "..%2f", "..%2F..%2Fetc%2Fpasswd", "%252e%252e%252f", "1%2F2", "1;x=2", "%20", "1%20OR%201=1",
                "%27%20OR%20%271%27=%271", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "1".repeat(4_000),
                "%D9%A1%D9%A2", "%EF%BC%91", "%F0%9F%98%80", "%E2%80%AE1", "%C0%AF", "%FF", "%ED%A0%80");
    }

    /** Values for query parameters: limits out of range, undecodable cursors, injection, encoded junk. */
    public static List<String> queryValues() {
        List<String> values = new ArrayList<>(List.of("", "-1", "0", "101", "abc", "1.5", "99999999999999999999",
                "%00", "%FF", "%ED%A0%80", "%27%20OR%201=1--", "%3Cscript%3E", "a".repeat(3_000),
                "%E2%80%AE", "1e3", "true"));
        for (String cursor : new String[]{"x", "1|2|3", "-1", "abc", "9".repeat(30), "|", "2020-01-01T00:00:00Z|x",
                "x|1", "\u0000"}) {
            values.add(Base64.getUrlEncoder().withoutPadding().encodeToString(cursor.getBytes(StandardCharsets.UTF_8)));
        }
        values.add("!!!not-base64!!!".replace("!", "%21"));
        return values;
    }

    /**
     * JSON text for maps, lists, strings, numbers, booleans, null and {@link RawJson}. Control
     * characters and surrogates are escaped as \\uXXXX, so a lone surrogate reaches the service as
     * the JSON escape a client could send, never as bytes the JSON writer refused.
     */
    public static String json(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof RawJson raw) {
            out.append(raw.text());
        } else if (value instanceof String text) {
            out.append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20 || Character.isSurrogate(c)) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            out.append('"');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(first ? "" : ",");
                write(out, String.valueOf(entry.getKey()));
                out.append(':');
                write(out, entry.getValue());
                first = false;
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(out, list.get(i));
            }
            out.append(']');
        } else {
            out.append(value);
        }
    }

    /** Copies of {@code template} with one string leaf (at any depth) replaced by {@code replacement}. */
    public static List<Named<Object>> replacingEachLeaf(Object template, Object replacement, boolean stringsOnly) {
        List<Named<Object>> copies = new ArrayList<>();
        walk(template, "", replacement, stringsOnly, copies, replaced -> replaced);
        return copies;
    }

    private interface Rebuild {
        Object with(Object replaced);
    }

    private static void walk(Object node, String path, Object replacement, boolean stringsOnly,
                             List<Named<Object>> copies, Rebuild rebuild) {
        if (node instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                walk(map.get(key), path + "." + key, replacement, stringsOnly, copies, replaced -> {
                    Map<Object, Object> copy = new LinkedHashMap<>(map);
                    copy.put(key, replaced);
                    return rebuild.with(copy);
                });
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                int index = i;
                walk(list.get(i), path + "[" + i + "]", replacement, stringsOnly, copies, replaced -> {
                    List<Object> copy = new ArrayList<>(list);
                    copy.set(index, replaced);
                    return rebuild.with(copy);
                });
            }
        } else if (!stringsOnly || node instanceof String) {
            copies.add(new Named<>(path.isEmpty() ? "$" : path.substring(1), rebuild.with(replacement)));
        }
    }

    private static String manyKeys(int count) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            out.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        return out.append('}').toString();
    }

    private static byte[] binary(int length) {
        byte[] bytes = new byte[length];
        long seed = 42;
        for (int i = 0; i < length; i++) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            bytes[i] = (byte) (seed >>> 56);
        }
        return bytes;
    }
}
