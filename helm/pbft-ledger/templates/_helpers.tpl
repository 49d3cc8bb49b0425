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

{{- define "pbft-ledger.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* f, the number of faulty replicas tolerated: n = 3f+1. */}}
{{- define "pbft-ledger.f" -}}
{{- $n := int .Values.replicaCount -}}
{{- if or (lt $n 4) (ne (mod (sub $n 1) 3) 0) -}}
{{- fail (printf "replicaCount must be 3f+1 with f >= 1 (4, 7, 10, ...), got %d" $n) -}}
{{- end -}}
{{- div (sub $n 1) 3 -}}
{{- end -}}

{{- define "pbft-ledger.scheme" -}}
{{- ternary "https" "http" .Values.tls.enabled -}}
{{- end -}}

{{/* Base URL of replica i (passed as .i), from the StatefulSet's stable per-pod DNS name. */}}
{{- define "pbft-ledger.replicaUrl" -}}
{{- $ctx := .ctx -}}
{{- printf "%s://%s-%d.%s.%s.svc.cluster.local:%d" (include "pbft-ledger.scheme" $ctx) (include "pbft-ledger.fullname" $ctx) (int .i) (include "pbft-ledger.headlessName" $ctx) $ctx.Release.Namespace (int $ctx.Values.service.port) -}}
{{- end -}}

{{/* The parsed membership.file, checked against replicaCount; fails with a how-to when missing.
     Written as one if/else chain because `helm lint` logs a fail and carries on. */}}
{{- define "pbft-ledger.membershipDoc" -}}
{{- $doc := fromYaml (default "{}" .Values.membership.file) -}}
{{- if not .Values.membership.file -}}
{{- fail "membership.file is required: generate keys with `pbft-ledger keygen --replicas N --url-template 'http://replica-{i}:8080' --out keys`, then pass --set-file membership.file=keys/membership.yml and the replica keys (replicaKeys.existingSecret or replicaKeys.files)" -}}
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

{{/* Spring properties shared by every replica; per-pod settings come from the environment. */}}
{{- define "pbft-ledger.replicaConfig" -}}
{{- $base := dict
  "server" (dict "port" (int .Values.service.port))
  "ledger" (dict
      "membership-file" "/etc/pbft-ledger/config/membership.yml"
      "data-dir" "/var/lib/pbft-ledger/data"
      "timestamp-skew-ms" (int64 .Values.ledger.timestampSkewMs)
      "view-change-timeout-ms" (int64 .Values.ledger.viewChangeTimeoutMs)) -}}
{{- if .Values.tls.enabled -}}
{{- $_ := set $base.server "ssl" (dict "bundle" "ledger") -}}
{{- $_ := set $base "spring" (dict "ssl" (dict "bundle" (dict "pem" (dict "ledger" (dict "keystore" (dict
      "certificate" "file:/etc/pbft-ledger/tls/tls.crt"
      "private-key" "file:/etc/pbft-ledger/tls/tls.key")))))) -}}
{{- end -}}
{{- toYaml (mergeOverwrite $base (deepCopy .Values.ledger.extraConfig)) -}}
{{- end -}}

{{- define "pbft-ledger.keysSecretName" -}}
{{- default (printf "%s-replica-keys" (include "pbft-ledger.fullname" .)) .Values.replicaKeys.existingSecret -}}
{{- end -}}

{{- define "pbft-ledger.dbSecretName" -}}
{{- default (printf "%s-postgresql" (include "pbft-ledger.fullname" .)) .Values.postgresql.auth.existingSecret -}}
{{- end -}}

{{- define "pbft-ledger.testClientSecretName" -}}
{{- default (printf "%s-test-client" (include "pbft-ledger.fullname" .)) .Values.tests.client.existingSecret -}}
{{- end -}}

{{/* JVM options; with TLS the trust store built by the init container holds the cluster CA. */}}
{{- define "pbft-ledger.javaToolOptions" -}}
{{- if .Values.tls.enabled -}}
{{- printf "%s -Djavax.net.ssl.trustStore=/var/run/pbft-ledger/trust/truststore.p12 -Djavax.net.ssl.trustStorePassword=changeit -Djavax.net.ssl.trustStoreType=PKCS12" .Values.javaToolOptions | trim -}}
{{- else -}}
{{- .Values.javaToolOptions -}}
{{- end -}}
{{- end -}}

{{/* Init container that adds ca.crt to a copy of the JRE's trust store (the JDK reads no PEM trust store). */}}
{{- define "pbft-ledger.truststoreInit" -}}
- name: truststore
  image: {{ include "pbft-ledger.image" . }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  command:
    - sh
    - -ec
    - |
      cp "$JAVA_HOME/lib/security/cacerts" /var/run/pbft-ledger/trust/truststore.p12
      chmod u+w /var/run/pbft-ledger/trust/truststore.p12
      keytool -importcert -noprompt -alias pbft-ledger-ca -file /etc/pbft-ledger/tls/ca.crt \
        -keystore /var/run/pbft-ledger/trust/truststore.p12 -storepass changeit
  env:
    - name: JAVA_TOOL_OPTIONS
      value: ""
  securityContext:
    {{- toYaml .Values.securityContext | nindent 4 }}
  resources:
    requests:
      cpu: 50m
      memory: 64Mi
    limits:
      memory: 256Mi
  volumeMounts:
    - name: tls
      mountPath: /etc/pbft-ledger/tls
      readOnly: true
    - name: trust
      mountPath: /var/run/pbft-ledger/trust
{{- end -}}
