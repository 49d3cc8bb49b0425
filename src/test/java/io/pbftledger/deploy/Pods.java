package io.pbftledger.deploy;

import static io.pbftledger.deploy.Yamls.asMap;
import static io.pbftledger.deploy.Yamls.at;
import static io.pbftledger.deploy.Yamls.listAt;
import static io.pbftledger.deploy.Yamls.mapAt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Navigation over the chart's rendered workloads: the replicas' StatefulSets, their container, env and Secrets. */
final class Pods {
    private Pods() {
    }

    /** The replicas' StatefulSets, ordered by the replica id each one runs. */
    static List<Map<String, Object>> replicaSets(Manifests m) {
        return m.ofKind("StatefulSet").stream().sorted(Comparator.comparingInt(Pods::replicaId)).toList();
    }

    static int replicaId(Map<String, Object> statefulSet) {
        return Integer.parseInt(String.valueOf(at(envByName(container(statefulSet)), "LEDGER_REPLICA_ID", "value")));
    }

    static Map<String, Object> podSpec(Map<String, Object> statefulSet) {
        return mapAt(statefulSet, "spec", "template", "spec");
    }

    static Map<String, Object> podLabels(Map<String, Object> statefulSet) {
        return mapAt(statefulSet, "spec", "template", "metadata", "labels");
    }

    static Map<String, Object> container(Map<String, Object> statefulSet) {
        List<Object> containers = listAt(statefulSet, "spec", "template", "spec", "containers");
        if (containers.size() != 1) {
            throw new AssertionError("expected one container, found " + containers.size());
        }
        return asMap(containers.get(0));
    }

    static Map<String, Object> envByName(Map<String, Object> container) {
        Map<String, Object> byName = new LinkedHashMap<>();
        for (Object entry : listAt(container, "env")) {
            Map<String, Object> env = asMap(entry);
            byName.put((String) env.get("name"), env);
        }
        return byName;
    }

    /** Every Secret a pod spec mounts, as a volume or a projected volume's source. */
    static List<String> mountedSecrets(Map<String, Object> podSpec) {
        List<String> names = new ArrayList<>();
        for (Object entry : listAt(podSpec, "volumes")) {
            Map<String, Object> volume = asMap(entry);
            if (volume.containsKey("secret")) {
                names.add((String) at(volume, "secret", "secretName"));
            }
            if (volume.containsKey("projected")) {
                for (Object source : listAt(volume, "projected", "sources")) {
                    if (asMap(source).containsKey("secret")) {
                        names.add((String) at(asMap(source), "secret", "name"));
                    }
                }
            }
        }
        return names;
    }

    /** The volume of a pod spec with this name. */
    static Map<String, Object> volume(Map<String, Object> podSpec, String name) {
        return listAt(podSpec, "volumes").stream().map(Yamls::asMap).filter(v -> name.equals(v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    /** The volume mounted at {@code path} in the container. */
    static String volumeMountedAt(Map<String, Object> container, String path) {
        return listAt(container, "volumeMounts").stream().map(Yamls::asMap).filter(v -> path.equals(v.get("mountPath")))
                .map(v -> (String) v.get("name")).findFirst().orElseThrow(() -> new AssertionError("nothing mounted at " + path));
    }

    /** A rendered Secret's data, decoded. */
    static Map<String, String> decodedData(Map<String, Object> secret) {
        Map<String, String> out = new LinkedHashMap<>();
        mapAt(secret, "data").forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode((String) v), StandardCharsets.UTF_8)));
        return out;
    }
}
