package io.pbftledger.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The Kubernetes objects of a rendered chart (multi-document YAML), in rendering order. */
record Manifests(List<Map<String, Object>> objects) {

    static Manifests parse(String rendered) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object doc : new Yaml(new LoaderOptions()).loadAll(rendered)) {
            if (doc instanceof Map<?, ?> map) {
                objects.add(Yamls.asMap(map));
            }
        }
        return new Manifests(List.copyOf(objects));
    }

    List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    Map<String, Object> one(String kind) {
        List<Map<String, Object>> found = ofKind(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }

    Optional<Map<String, Object>> named(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(Yamls.at(o, "metadata", "name"))).findFirst();
    }
}
