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

{{/* f, the number of faulty replicas tolerated: f = floor((n-1)/3), n >= 4. */}}
{{- define "pbft-ledger.f" -}}
{{- $n := int .Values.replicaCount -}}
{{- if lt $n 4 -}}
{{- fail (printf "replicaCount must be at least 4, got %d" $n) -}}
{{- end -}}
{{- div (sub $n 1) 3 -}}
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

{{/* The parsed membership.file, checked against replicaCount; fails with a how-to when missing.
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
{{- else if ne (len $doc.replicas) (int .Values.replicaCount) -}}
{{- fail (printf "membership.file lists %d replicas, but replicaCount is %d" (len $doc.replicas) (int .Values.replicaCount)) -}}
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

{{/* Element .i of the list .list, or "" past its end: replica i's inline key or certificate file. */}}
{{- define "pbft-ledger.at" -}}
{{- $list := default (list) .list -}}
{{- if lt (int .i) (len $list) }}{{ index $list (int .i) }}{{ end -}}
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
{{- $_ := include "pbft-ledger.membershipDoc" . -}}
{{- $n := int .Values.replicaCount -}}
{{- $tlsFiles := default (dict) .Values.tls.files -}}
{{- $certs := default (list) $tlsFiles.certificates -}}
{{- $tlsKeys := default (list) $tlsFiles.keys -}}
{{- if .Values.replicaKeys.existingSecret -}}
{{- fail (printf "replicaKeys.existingSecret (one Secret with every replica's key) is refused: each pod must hold only its own replica's key. Create one Secret per replica (kubectl create secret generic %s<i> --from-file=keys/replicas/replica-<i>.key) and set replicaKeys.existingSecretPrefix" .Values.replicaKeys.existingSecret) -}}
{{- else if and (not .Values.replicaKeys.existingSecretPrefix) (ne (len .Values.replicaKeys.files) $n) -}}
{{- fail (printf "replica keys are required: set replicaKeys.existingSecretPrefix (Secrets <prefix><i>, each with the entry replica-<i>.key) or give replicaKeys.files one key file per replica (%d given, replicaCount %d)" (len .Values.replicaKeys.files) $n) -}}
{{- else if .Values.tls.existingSecret -}}
{{- fail (printf "tls.existingSecret (one certificate for every pod) is refused: each replica needs its own certificate, as keygen --tls issues them. Set tls.existingSecretPrefix (kubernetes.io/tls Secrets <prefix><i>) or tls.files, and tls.ca") -}}
{{- else if not .Values.tls.enabled -}}
{{- else if not .Values.tls.ca -}}
{{- fail "tls.ca is required with tls.enabled: the cluster CA certificate (--set-file tls.ca=keys/tls/ca.crt from keygen --tls), which the replicas trust for each other's client certificates" -}}
{{- else if and (not .Values.tls.existingSecretPrefix) (eq (len $certs) 0) (eq (len $tlsKeys) 0) -}}
{{- fail (printf "replica certificates are required with tls.enabled: set tls.existingSecretPrefix (kubernetes.io/tls Secrets <prefix><i> with tls.crt and tls.key) or give tls.files.certificates and tls.files.keys (keygen --tls --url-template '%s': tls/replica-<i>.crt and .key)" (include "pbft-ledger.urlTemplate" .)) -}}
{{- else if and (not .Values.tls.existingSecretPrefix) (ne (len $certs) $n) -}}
{{- fail (printf "tls.files.certificates needs one certificate per replica (%d given, replicaCount %d)" (len $certs) $n) -}}
{{- else if and (not .Values.tls.existingSecretPrefix) (ne (len $tlsKeys) $n) -}}
{{- fail (printf "tls.files.keys needs one key per replica (%d given, replicaCount %d)" (len $tlsKeys) $n) -}}
{{- else if not .Values.tls.existingSecretPrefix -}}
{{- /* keygen --tls names in each replica's certificate the host of its membership URL: the URLs must be this release's */ -}}
{{- $doc := include "pbft-ledger.membershipDoc" . | fromYaml -}}
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
