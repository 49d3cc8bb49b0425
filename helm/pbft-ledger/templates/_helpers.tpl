{{/* Names */}}
{{- define "pbft-ledger.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "pbft-ledger.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The headless Service whose per-pod DNS names are the peer addresses. */}}
{{- define "pbft-ledger.headlessName" -}}
{{- printf "%s-headless" (include "pbft-ledger.fullname" .) -}}
{{- end -}}

{{- define "pbft-ledger.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "pbft-ledger.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "pbft-ledger.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "pbft-ledger.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "pbft-ledger.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pbft-ledger.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The labels of every replica pod (and of no other pod): Services, the PodDisruptionBudget and the
     NetworkPolicy select on them. */}}
{{- define "pbft-ledger.replicaSelectorLabels" -}}
{{ include "pbft-ledger.selectorLabels" . }}
app.kubernetes.io/component: replica
{{- end -}}

{{/* The labels of the helm test pod, which the NetworkPolicy admits beside the replicas. */}}
{{- define "pbft-ledger.testSelectorLabels" -}}
{{ include "pbft-ledger.selectorLabels" . }}
app.kubernetes.io/component: test
{{- end -}}

{{- define "pbft-ledger.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The replica ids this release runs, as a JSON list (whose numbers fromJsonArray turns into floats:
     take `int` of each): 0..replicaCount-1 without removedReplicas.
     replicaCount counts every id the release has had (the membership's, then the joiners'), so a
     removed replica keeps its id and no later replica takes its place by accident. Fails unless every
     removed id is one of them and at least 4 replicas remain. One if/else chain: `helm lint` logs a
     fail and carries on. */}}
{{- define "pbft-ledger.replicaIds" -}}
{{- $_ := include "pbft-ledger.membershipDoc" . -}}
{{- $count := int .Values.replicaCount -}}
{{- /* as ints: Helm reads a values file's numbers as floats and --set's as ints, which `has` tells apart */ -}}
{{- $removed := list -}}
{{- range $id := (default (list) .Values.removedReplicas) -}}{{- $removed = append $removed (int $id) -}}{{- end -}}
{{- $rotated := list -}}
{{- range $id := (default (list) .Values.rotatedKeys) -}}{{- $rotated = append $rotated (int $id) -}}{{- end -}}
{{- $ids := list -}}
{{- range $i := until $count -}}
{{- if not (has $i $removed) -}}{{- $ids = append $ids $i -}}{{- end -}}
{{- end -}}
{{- $outside := list -}}
{{- range $id := $removed -}}
{{- if or (lt $id 0) (ge $id $count) -}}{{- $outside = append $outside $id -}}{{- end -}}
{{- end -}}
{{- $rotatedOutside := list -}}
{{- $rotatedRemoved := list -}}
{{- range $id := $rotated -}}
{{- if or (lt $id 0) (ge $id $count) -}}{{- $rotatedOutside = append $rotatedOutside $id -}}
{{- else if has $id $removed -}}{{- $rotatedRemoved = append $rotatedRemoved $id -}}
{{- end -}}
{{- end -}}
{{- if $outside -}}
{{- fail (printf "removedReplicas lists %s, but this release's replica ids are 0..%d (replicaCount %d): replicaCount counts every id the release has had, the removed ones included, so it stays where it was when a replica is removed" (toJson $outside) (sub $count 1) $count) -}}
{{- else if lt (len $ids) 4 -}}
{{- fail (printf "replicaCount %d minus removedReplicas %s leaves %d replicas in the set, but PBFT needs at least 4 (n = 3f+1 with f >= 1): add a replica before removing another" $count (toJson $removed) (len $ids)) -}}
{{- else if $rotatedOutside -}}
{{- fail (printf "rotatedKeys lists %s, but this release's replica ids are 0..%d (replicaCount %d)" (toJson $rotatedOutside) (sub $count 1) $count) -}}
{{- else if $rotatedRemoved -}}
{{- fail (printf "rotatedKeys lists %s, which removedReplicas lists too: a removed replica runs no pod and has no key to check; drop it from rotatedKeys" (toJson $rotatedRemoved)) -}}
{{- end -}}
{{- toJson $ids -}}
{{- end -}}

{{/* n, the number of replicas in the set: replicaCount without removedReplicas (at least 4). */}}
{{- define "pbft-ledger.n" -}}
{{- include "pbft-ledger.replicaIds" . | fromJsonArray | len -}}
{{- end -}}

{{/* f, the number of faulty replicas tolerated: f = floor((n-1)/3), with n the replicas in the set. */}}
{{- define "pbft-ledger.f" -}}
{{- div (sub (int (include "pbft-ledger.n" .)) 1) 3 -}}
{{- end -}}

{{/* Whether replica .i must start with ledger.join=true ("true" or ""): a joiner (an id beyond the
     membership file's replicas), or a replica whose key rotate-key replaced (rotatedKeys). The startup
     check compares the key with the membership file's when the data directory is empty (always with
     PostgreSQL, where it is scratch space), which a rotated key fails; ledger.join lifts only that
     comparison: the replica still checks its key against the chain's replica sets once its database
     is open, and a joiner's id must be in them. */}}
{{- define "pbft-ledger.joins" -}}
{{- $doc := include "pbft-ledger.membershipDoc" .ctx | fromYaml -}}
{{- $rotated := false -}}
{{- range $id := (default (list) .ctx.Values.rotatedKeys) -}}{{- if eq (int $id) (int $.i) -}}{{- $rotated = true -}}{{- end -}}{{- end -}}
{{- if or (ge (int .i) (len (default (list) $doc.replicas))) $rotated -}}true{{- end -}}
{{- end -}}

{{- define "pbft-ledger.scheme" -}}
{{- ternary "https" "http" .Values.tls.enabled -}}
{{- end -}}

{{/* Replica i runs in its own StatefulSet <fullname>-<i> (so its pod can mount only its own key),
     whose one pod is <fullname>-<i>-0. */}}
{{- define "pbft-ledger.replicaName" -}}
{{- printf "%s-%d" (include "pbft-ledger.fullname" .ctx) (int .i) -}}
{{- end -}}

{{/* Base URL of replica i (passed as .i), from its pod's stable DNS name under the headless Service. */}}
{{- define "pbft-ledger.replicaUrl" -}}
{{- $ctx := .ctx -}}
{{- printf "%s://%s-0.%s.%s.svc.cluster.local:%d" (include "pbft-ledger.scheme" $ctx) (include "pbft-ledger.replicaName" .) (include "pbft-ledger.headlessName" $ctx) $ctx.Release.Namespace (int $ctx.Values.service.port) -}}
{{- end -}}

{{/* The --url-template for keygen that gives exactly this release's replica URLs. */}}
{{- define "pbft-ledger.urlTemplate" -}}
{{- printf "%s://%s-{i}-0.%s.%s.svc.cluster.local:%d" (include "pbft-ledger.scheme" .) (include "pbft-ledger.fullname" .) (include "pbft-ledger.headlessName" .) .Release.Namespace (int .Values.service.port) -}}
{{- end -}}

{{/* The parsed membership.file (the genesis replica set, which never changes), checked against
     replicaCount: replicas 0..n-1 are the membership's, ids from n up joiners. Fails with a how-to
     when missing.
     Written as one if/else chain because `helm lint` logs a fail and carries on. */}}
{{- define "pbft-ledger.membershipDoc" -}}
{{- $doc := fromYaml (default "{}" .Values.membership.file) -}}
{{- if not .Values.membership.file -}}
{{- fail (printf "membership.file is required: generate keys with `pbft-ledger keygen --replicas N --url-template '%s' --out keys` (with --tls when tls.enabled is set), then pass --set-file membership.file=keys/membership.yml and the replica keys (replicaKeys.existingSecretPrefix or replicaKeys.files)" (include "pbft-ledger.urlTemplate" .)) -}}
{{- else if hasKey $doc "Error" -}}
{{- fail (printf "membership.file is not valid YAML: %s" (get $doc "Error")) -}}
{{- else if not $doc.chainId -}}
{{- fail "membership.file has no chainId" -}}
{{- else if not (kindIs "slice" $doc.replicas) -}}
{{- fail "membership.file has no list of replicas" -}}
{{- else if gt (len $doc.replicas) (int .Values.replicaCount) -}}
{{- fail (printf "membership.file lists %d replicas, but replicaCount is %d: replicaCount counts every replica id the release has had, the membership's %d included, and never goes below them. To run without a replica that `pbft-ledger admin replicas remove` took out, keep replicaCount at %d (or above, with joiners) and list its id in removedReplicas (e.g. --set 'removedReplicas={%d}')" (len $doc.replicas) (int .Values.replicaCount) (len $doc.replicas) (len $doc.replicas) (sub (len $doc.replicas) 1)) -}}
{{- else -}}
{{- range $i, $r := $doc.replicas -}}
{{- if ne (int $r.id) $i -}}{{- fail (printf "membership.file: replicas[%d] has id %v; ids must be 0..n-1 in order" $i $r.id) -}}{{- end -}}
{{- if not $r.publicKey -}}{{- fail (printf "membership.file: replica %d has no publicKey" $i) -}}{{- end -}}
{{- end -}}
{{- toYaml $doc -}}
{{- end -}}
{{- end -}}

{{/* membership.yml as the replicas read it: keygen's keys and clients, this release's peer URLs. */}}
{{- define "pbft-ledger.membershipYaml" -}}
{{- $doc := include "pbft-ledger.membershipDoc" . | fromYaml -}}
chainId: {{ $doc.chainId | quote }}
{{- if $doc.checkpointInterval }}
checkpointInterval: {{ int64 $doc.checkpointInterval }}
{{- end }}
replicas:
{{- range $i, $r := $doc.replicas }}
  - id: {{ $i }}
    url: {{ include "pbft-ledger.replicaUrl" (dict "ctx" $ "i" $i) }}
    publicKey: {{ $r.publicKey | quote }}
{{- end }}
clients:
{{- range $c := (default (list) $doc.clients) }}
  - id: {{ $c.id | quote }}
    publicKey: {{ $c.publicKey | quote }}
    roles: {{ toJson $c.roles }}
{{- end }}
{{- end -}}

{{/* Spring properties shared by every replica; per-pod settings come from the environment. The actuator
     listens on service.managementPort (with the server's TLS when tls.enabled), the API and the probes on
     service.port. */}}
{{- define "pbft-ledger.replicaConfig" -}}
{{- if eq (int .Values.service.managementPort) (int .Values.service.port) -}}
{{- fail (printf "service.managementPort (%d) must differ from service.port: the actuator's metrics belong on a port of their own, which only networkPolicy.managementFrom reaches" (int .Values.service.managementPort)) -}}
{{- end -}}
{{- $base := dict
  "server" (dict "port" (int .Values.service.port))
  "management" (dict "server" (dict "port" (int .Values.service.managementPort)))
  "ledger" (dict
      "membership-file" "/etc/pbft-ledger/config/membership.yml"
      "data-dir" "/var/lib/pbft-ledger/data"
      "timestamp-skew-ms" (int64 .Values.ledger.timestampSkewMs)
      "view-change-timeout-ms" (int64 .Values.ledger.viewChangeTimeoutMs)) -}}
{{- if .Values.tls.enabled -}}
{{- /* plain absolute paths: `node` resolves these settings against the yml's directory, which
     leaves an absolute path alone but would turn file:/... into a path below it.
     The settings keygen --tls writes into each replica yml: HTTPS with this pod's own certificate,
     client certificates wanted (required on /pbft/**), mutual TLS to the peers, the cluster CA as trust */ -}}
{{- $_ := set $base.server "ssl" (dict "bundle" "ledger" "client-auth" "want") -}}
{{- $_ := set $base "spring" (dict "ssl" (dict "bundle" (dict "pem" (dict "ledger" (dict
      "keystore" (dict
        "certificate" "/etc/pbft-ledger/tls/tls.crt"
        "private-key" "/etc/pbft-ledger/tls/tls.key")
      "truststore" (dict
        "certificate" "/etc/pbft-ledger/config/ca.crt")))))) -}}
{{- $_ := set $base.ledger "tls" (dict "enabled" true "bundle" "ledger") -}}
{{- end -}}
{{- /* A membership that fixes the checkpoint interval (keygen --checkpoint-interval) makes it part of the
     genesis: every replica gets it, with a watermark window of twice it, and extraConfig may not say otherwise */ -}}
{{- $doc := include "pbft-ledger.membershipDoc" . | fromYaml -}}
{{- if $doc.checkpointInterval -}}
{{- $k := int64 $doc.checkpointInterval -}}
{{- $extra := dig "ledger" "checkpoint-interval" "" (deepCopy .Values.ledger.extraConfig) -}}
{{- if and (ne (toString $extra) "") (ne (int64 $extra) $k) -}}
{{- fail (printf "ledger.extraConfig.ledger.checkpoint-interval is %v, but membership.file fixes checkpointInterval: %d for the whole chain; leave it out (the chart sets it)" $extra $k) -}}
{{- end -}}
{{- $_ := set $base.ledger "checkpoint-interval" $k -}}
{{- $_ := set $base.ledger "watermark-window" (mul 2 $k) -}}
{{- end -}}
{{- toYaml (mergeOverwrite $base (deepCopy .Values.ledger.extraConfig)) -}}
{{- end -}}

{{/* The Secret with replica i's signing key (entry replica-<i>.key), and the one with its TLS
     certificate and key (tls.crt, tls.key): each replica has its own, and its pod mounts no other. */}}
{{- define "pbft-ledger.keysSecretName" -}}
{{- if .ctx.Values.replicaKeys.existingSecretPrefix -}}
{{- printf "%s%d" .ctx.Values.replicaKeys.existingSecretPrefix (int .i) -}}
{{- else -}}
{{- printf "%s-replica-%d" (include "pbft-ledger.fullname" .ctx) (int .i) -}}
{{- end -}}
{{- end -}}

{{- define "pbft-ledger.tlsSecretName" -}}
{{- if .ctx.Values.tls.existingSecretPrefix -}}
{{- printf "%s%d" .ctx.Values.tls.existingSecretPrefix (int .i) -}}
{{- else -}}
{{- printf "%s-replica-%d" (include "pbft-ledger.fullname" .ctx) (int .i) -}}
{{- end -}}
{{- end -}}

{{/* Element .i of the list .list, or "" past its end or where it is null (a removed replica's place):
     replica i's inline key or certificate file. */}}
{{- define "pbft-ledger.at" -}}
{{- $list := default (list) .list -}}
{{- if lt (int .i) (len $list) }}{{ with index $list (int .i) }}{{ . }}{{ end }}{{ end -}}
{{- end -}}

{{/* Changes when replica i's inline key or certificate changes, so only that replica's pod restarts. */}}
{{- define "pbft-ledger.replicaFilesChecksum" -}}
{{- $tlsFiles := default (dict) .ctx.Values.tls.files -}}
{{- list
    (include "pbft-ledger.at" (dict "list" .ctx.Values.replicaKeys.files "i" .i))
    (include "pbft-ledger.at" (dict "list" $tlsFiles.certificates "i" .i))
    (include "pbft-ledger.at" (dict "list" $tlsFiles.keys "i" .i)) | toJson | sha256sum -}}
{{- end -}}

{{/* Refusals of key and certificate settings that would put more than one replica's secrets into a pod,
     or give replicas certificates that do not name them. One if/else chain: `helm lint` logs a fail
     and carries on. */}}
{{- define "pbft-ledger.checkSecrets" -}}
{{- $doc := include "pbft-ledger.membershipDoc" . | fromYaml -}}
{{- $genesis := len (default (list) $doc.replicas) -}}
{{- $count := int .Values.replicaCount -}}
{{- $ids := include "pbft-ledger.replicaIds" . | fromJsonArray -}}
{{- $keyFiles := default (list) .Values.replicaKeys.files -}}
{{- $tlsFiles := default (dict) .Values.tls.files -}}
{{- $certs := default (list) $tlsFiles.certificates -}}
{{- $tlsKeys := default (list) $tlsFiles.keys -}}
{{- /* the first replica of the set without its inline key file, certificate or TLS key; -1 if none.
     The entries of removed replicas may be null or left out at the end: no pod uses them. */ -}}
{{- $noKey := -1 -}}
{{- $noCert := -1 -}}
{{- $noTlsKey := -1 -}}
{{- range $id := $ids -}}
{{- $i := int $id -}}
{{- if and (lt $noKey 0) (not (include "pbft-ledger.at" (dict "list" $keyFiles "i" $i))) -}}{{- $noKey = $i -}}{{- end -}}
{{- if and (lt $noCert 0) (not (include "pbft-ledger.at" (dict "list" $certs "i" $i))) -}}{{- $noCert = $i -}}{{- end -}}
{{- if and (lt $noTlsKey 0) (not (include "pbft-ledger.at" (dict "list" $tlsKeys "i" $i))) -}}{{- $noTlsKey = $i -}}{{- end -}}
{{- end -}}
{{- if .Values.replicaKeys.existingSecret -}}
{{- fail (printf "replicaKeys.existingSecret (one Secret with every replica's key) is refused: each pod must hold only its own replica's key. Create one Secret per replica (kubectl create secret generic %s<i> --from-file=keys/replicas/replica-<i>.key) and set replicaKeys.existingSecretPrefix" .Values.replicaKeys.existingSecret) -}}
{{- else if and (not .Values.replicaKeys.existingSecretPrefix) (eq (len $keyFiles) 0) -}}
{{- fail (printf "replica keys are required: set replicaKeys.existingSecretPrefix (Secrets <prefix><i>, each with the entry replica-<i>.key) or give replicaKeys.files one key file per replica (%d given, replicaCount %d)" (len $keyFiles) $count) -}}
{{- else if and (not .Values.replicaKeys.existingSecretPrefix) (gt (len $keyFiles) $count) -}}
{{- fail (printf "replicaKeys.files has %d entries, but replicaCount is %d: entry i is the key file of replica i" (len $keyFiles) $count) -}}
{{- else if and (not .Values.replicaKeys.existingSecretPrefix) (ge $noKey $genesis) (ge $noKey 0) -}}
{{- fail (printf "replicaKeys.files[%d] is missing (%d given, replicaCount %d): replica %d joins (membership.file lists replicas 0..%d). Generate its key with `pbft-ledger keygen --join --id %d --url %s --membership keys/membership.yml --out join-%d` and pass --set-file 'replicaKeys.files[%d]=join-%d/replicas/replica-%d.key'" $noKey (len $keyFiles) $count $noKey (sub $genesis 1) $noKey (include "pbft-ledger.replicaUrl" (dict "ctx" . "i" $noKey)) $noKey $noKey $noKey $noKey) -}}
{{- else if and (not .Values.replicaKeys.existingSecretPrefix) (ge $noKey 0) -}}
{{- fail (printf "replicaKeys.files[%d] is missing (%d given, replicaCount %d): replica %d is in the set (if `admin replicas remove` took it out, list it in removedReplicas)" $noKey (len $keyFiles) $count $noKey) -}}
{{- else if .Values.tls.existingSecret -}}
{{- fail (printf "tls.existingSecret (one certificate for every pod) is refused: each replica needs its own certificate, as keygen --tls issues them. Set tls.existingSecretPrefix (kubernetes.io/tls Secrets <prefix><i>) or tls.files, and tls.ca") -}}
{{- else if not .Values.tls.enabled -}}
{{- else if not .Values.tls.ca -}}
{{- fail "tls.ca is required with tls.enabled: the cluster CA certificate (--set-file tls.ca=keys/tls/ca.crt from keygen --tls), which the replicas trust for each other's client certificates" -}}
{{- else if and (not .Values.tls.existingSecretPrefix) (eq (len $certs) 0) (eq (len $tlsKeys) 0) -}}
{{- fail (printf "replica certificates are required with tls.enabled: set tls.existingSecretPrefix (kubernetes.io/tls Secrets <prefix><i> with tls.crt and tls.key) or give tls.files.certificates and tls.files.keys (keygen --tls --url-template '%s': tls/replica-<i>.crt and .key)" (include "pbft-ledger.urlTemplate" .)) -}}
{{- else if and (not .Values.tls.existingSecretPrefix) (or (ge $noCert 0) (gt (len $certs) $count)) -}}
{{- fail (printf "tls.files.certificates needs one certificate per replica, entry i for replica i (%d given, replicaCount %d; replica %d has none)" (len $certs) $count $noCert) -}}
{{- else if and (not .Values.tls.existingSecretPrefix) (or (ge $noTlsKey 0) (gt (len $tlsKeys) $count)) -}}
{{- fail (printf "tls.files.keys needs one key per replica, entry i for replica i (%d given, replicaCount %d; replica %d has none)" (len $tlsKeys) $count $noTlsKey) -}}
{{- else if not .Values.tls.existingSecretPrefix -}}
{{- /* keygen --tls names in each replica's certificate the host of its membership URL: the URLs must be this release's */ -}}
{{- range $i, $r := $doc.replicas -}}
{{- $want := include "pbft-ledger.replicaUrl" (dict "ctx" $ "i" $i) -}}
{{- if ne $r.url $want -}}
{{- fail (printf "tls.files: the certificates were issued for the membership's URLs (replica %d: %s), but this release's replica %d is %s; run keygen --tls --url-template '%s' so each certificate names its pod" $i $r.url $i $want (include "pbft-ledger.urlTemplate" $)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "pbft-ledger.dbSecretName" -}}
{{- default (printf "%s-postgresql" (include "pbft-ledger.fullname" .)) .Values.postgresql.auth.existingSecret -}}
{{- end -}}

{{- define "pbft-ledger.testClientSecretName" -}}
{{- default (printf "%s-test-client" (include "pbft-ledger.fullname" .)) .Values.tests.client.existingSecret -}}
{{- end -}}
