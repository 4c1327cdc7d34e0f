{{/* Name of the chart, or nameOverride. */}}
{{- define "ebb.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-qualified name: <release>-ebb, or the release name when it already contains the chart name. */}}
{{- define "ebb.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "ebb.scaler.fullname" -}}{{ include "ebb.fullname" . }}-scaler{{- end -}}
{{- define "ebb.gateway.fullname" -}}{{ include "ebb.fullname" . }}-gateway{{- end -}}

{{- define "ebb.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: ebb
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of one component (scaler | gateway). */}}
{{- define "ebb.selectorLabels" -}}
app.kubernetes.io/name: ebb-{{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "ebb.scaler.serviceAccountName" -}}
{{- if .Values.scaler.serviceAccount.create -}}
{{- default (include "ebb.scaler.fullname" .) .Values.scaler.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.scaler.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "ebb.gateway.serviceAccountName" -}}
{{- if .Values.gateway.serviceAccount.create -}}
{{- default (include "ebb.gateway.fullname" .) .Values.gateway.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.gateway.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "ebb.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end -}}
{{- end -}}

{{- define "ebb.leaseName" -}}
{{- default (include "ebb.scaler.fullname" .) .Values.scaler.leaderElection.name -}}
{{- end -}}

{{/* The Lease names the scaler reads and renews: <name> for one shard, <name>-0 .. <name>-(n-1) otherwise. */}}
{{- define "ebb.leaseNames" -}}
{{- $name := include "ebb.leaseName" . -}}
{{- $shards := int .Values.scaler.shards -}}
{{- if eq $shards 1 -}}
- {{ $name | quote }}
{{- else -}}
{{- range $i := until $shards }}
- {{ printf "%s-%d" $name $i | quote }}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Fails the render on settings that cannot work together. */}}
{{- define "ebb.validate" -}}
{{- $s := .Values.scaler -}}
{{- if and (gt (int $s.replicas) 1) (not $s.leaderElection.enabled) -}}
{{- fail "scaler.replicas > 1 needs scaler.leaderElection.enabled=true: without it every replica would scale the same targets" -}}
{{- end -}}
{{- if and (gt (int $s.shards) 1) (not $s.leaderElection.enabled) -}}
{{- fail "scaler.shards > 1 needs scaler.leaderElection.enabled=true (one Lease per shard)" -}}
{{- end -}}
{{- if or (lt (int $s.shards) 1) (gt (int $s.shards) 1024) -}}
{{- fail (printf "scaler.shards must be an integer 1..1024, got %v" $s.shards) -}}
{{- end -}}
{{- if and (gt (int $s.maxShardsPerReplica) 0) (lt (mul (int $s.maxShardsPerReplica) (int $s.replicas)) (int $s.shards)) -}}
{{- fail (printf "scaler.maxShardsPerReplica (%v) x scaler.replicas (%v) < scaler.shards (%v): some shards would have no replica" $s.maxShardsPerReplica $s.replicas $s.shards) -}}
{{- end -}}
{{- end -}}

{{/* The scaler's config file. */}}
{{- define "ebb.scaler.config" -}}
{{- $s := .Values.scaler -}}
{{- $opts := deepCopy (default dict $s.pluginOptions) -}}
{{- if and .Values.gateway.enabled (not (hasKey $opts "eventgw")) (has "eventgw" $s.plugins) -}}
{{- $selector := printf "app.kubernetes.io/name=ebb-gateway,app.kubernetes.io/instance=%s" .Release.Name -}}
{{- $_ := set $opts "eventgw" (dict "gatewayPods" (dict "namespace" .Release.Namespace "labelSelector" $selector "adminPort" 9090)) -}}
{{- end -}}
{{- $le := dict "enabled" $s.leaderElection.enabled "namespace" .Release.Namespace "name" (include "ebb.leaseName" .) "leaseDuration" $s.leaderElection.leaseDuration "renewDeadline" $s.leaderElection.renewDeadline "retryPeriod" $s.leaderElection.retryPeriod -}}
{{- $cfg := deepCopy (default dict $s.config) -}}
{{- $_ := set $cfg "namespaces" .Values.watchNamespaces -}}
{{- $_ := set $cfg "http" (dict "host" "0.0.0.0" "port" 8080) -}}
{{- $_ := set $cfg "plugins" $s.plugins -}}
{{- $_ := set $cfg "pluginOptions" $opts -}}
{{- $_ := set $cfg "leaderElection" $le -}}
{{- if and .Values.gateway.enabled (not (hasKey $cfg "activator")) -}}
{{- $gwSelector := printf "app.kubernetes.io/name=ebb-gateway,app.kubernetes.io/instance=%s" .Release.Name -}}
{{- $_ := set $cfg "activator" (dict "gatewayPods" (dict "namespace" .Release.Namespace "labelSelector" $gwSelector "port" 8080)) -}}
{{- end -}}
{{- $_ := set $cfg "shards" (int $s.shards) -}}
{{- if gt (int $s.maxShardsPerReplica) 0 -}}
{{- $_ := set $cfg "maxShardsPerReplica" (int $s.maxShardsPerReplica) -}}
{{- end -}}
{{- toYaml $cfg -}}
{{- end -}}

{{/* Pod anti-affinity that prefers spreading one component over nodes. */}}
{{- define "ebb.spread" -}}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "ebb.selectorLabels" . | nindent 12 }}
{{- end -}}
