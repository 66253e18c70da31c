package dev.parley.search.embedding;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks an embeddings answer before langchain4j reads it, and puts its items in {@code index} order. Written by
 * hand because langchain4j reads the answer leniently: it keeps the items in arrival order whatever their index
 * says and reads {@code "1"} as a number, so a wrong vector would be stored where OpenAI's contract makes the
 * answer malformed, worth a retry.
 */
final class IndexOrderedEmbeddings implements HttpClient {

    /** The answer is not what OpenAI's embeddings contract says. */
    static final class MalformedAnswer extends RuntimeException {
        MalformedAnswer(String why, Throwable cause) {
            super(why, cause);
        }
    }

    private final HttpClient transport;
    private final JsonMapper json;

    IndexOrderedEmbeddings(HttpClient transport, JsonMapper json) {
        this.transport = transport;
        this.json = json;
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        SuccessfulHttpResponse response = transport.execute(request);
        byte[] ordered = inIndexOrder(response.bodyBytes());
        if (ordered == response.bodyBytes()) {
            return response;
        }
        return SuccessfulHttpResponse.builder()
                .statusCode(response.statusCode())
                .headers(response.headers())
                .body(ordered)
                .build();
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        transport.execute(request, parser, listener);
    }

    /**
     * The body itself when its {@code data} items come in index order (OpenAI's habit), else the body with them
     * reordered. An item without an index keeps its place, as a compatible server that sends none means it.
     *
     * @throws MalformedAnswer when the body is not JSON, has no data array, an item is not an object, an index is
     *                         repeated or outside the items, or an embedding is not an array of numbers
     */
    byte[] inIndexOrder(byte[] body) {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : json.readValue(body, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw new MalformedAnswer("the body is not JSON", e);
        }
        if (root == null) {
            throw new MalformedAnswer("the body is not JSON", null);
        }
        JsonNode data = root.isObject() ? root.get("data") : null;
        if (data == null || !data.isArray()) {
            throw new MalformedAnswer("no data array", null);
        }
        JsonNode[] byIndex = new JsonNode[data.size()];
        boolean inOrder = true;
        int position = 0;
        for (JsonNode item : data.values()) {
            int index = indexOf(item, position, data.size());
            if (byIndex[index] != null) {
                throw new MalformedAnswer("index " + index + " twice", null);
            }
            checkNumbers(item.get("embedding"));
            byIndex[index] = item;
            inOrder &= index == position++;
        }
        return inOrder ? body : withData(root, byIndex);
    }

    private static int indexOf(JsonNode item, int position, int items) {
        if (item == null || !item.isObject()) {
            throw new MalformedAnswer("a data item that is not an object", null);
        }
        JsonNode index = item.get("index");
        if (index == null || index.isNull()) {
            return position;
        }
        double value = index.isNumber() ? index.getDoubleValue() : -1;
        if (value != Math.rint(value) || value < 0 || value >= items) {
            throw new MalformedAnswer("index " + index + " outside 0.." + (items - 1), null);
        }
        return (int) value;
    }

    private static void checkNumbers(JsonNode embedding) {
        if (embedding == null || !embedding.isArray()) {
            throw new MalformedAnswer("an embedding that is not an array of numbers", null);
        }
        for (JsonNode value : embedding.values()) {
            if (!value.isNumber()) {
                throw new MalformedAnswer("an embedding with a non-numeric value", null);
            }
        }
    }

    private byte[] withData(JsonNode root, JsonNode[] items) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        root.entries().forEach(field -> fields.put(field.getKey(), field.getValue()));
        fields.put("data", JsonNode.createArrayNode(new ArrayList<>(List.of(items))));
        try {
            return json.writeValueAsBytes(JsonNode.createObjectNode(fields));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write back an embeddings answer", e);
        }
    }
}
