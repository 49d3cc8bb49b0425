package io.pbftledger.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Small navigation helpers over SnakeYAML's maps and lists, failing with the path that was missing. */
final class Yamls {
    private Yamls() {
    }

    static Map<String, Object> load(String text) {
        Object doc = new Yaml(new LoaderOptions()).load(text);
        if (!(doc instanceof Map<?, ?> map)) {
            throw new AssertionError("not a YAML mapping: " + text);
        }
        return asMap(map);
    }

    static Map<String, Object> asMap(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new AssertionError("not a mapping: " + value);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new AssertionError("not a list: " + value);
        }
        return (List<Object>) list;
    }

    static Object at(Map<String, Object> root, String... path) {
        Object current = root;
        for (String key : path) {
            Map<String, Object> map = asMap(current);
            if (!map.containsKey(key)) {
                throw new AssertionError("missing '" + key + "' of " + String.join(".", path) + " in " + map.keySet());
            }
            current = map.get(key);
        }
        return current;
    }

    static Map<String, Object> mapAt(Map<String, Object> root, String... path) {
        return asMap(at(root, path));
    }

    static List<Object> listAt(Map<String, Object> root, String... path) {
        return asList(at(root, path));
    }
}
