package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

// The deploy/ tests check what can be checked without a cluster or
// GitHub: the manifests decode into the Kubernetes API's own types with no
// unknown field (k8s.io/api, a test-only dependency: the API's shape is
// its types, and a hand-written copy would miss what it was meant to
// catch), the pieces fit together, and every vpclint command line they run
// parses with vpclint's own flags.

var deployDir = filepath.Join(repoRoot, "deploy")

// yamlDocs decodes the YAML documents of a file into generic values.
func yamlDocs(t *testing.T, path string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var out []map[string]any
	for {
		var doc map[string]any
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				return out
			}
			t.Fatalf("%s: %v", path, err)
		}
		if doc != nil {
			out = append(out, doc)
		}
	}
}

// strictDecode decodes a generic document into a typed API object,
// refusing unknown fields.
func strictDecode(t *testing.T, where string, doc map[string]any, into any) {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		t.Fatalf("%s: not a valid %T: %v", where, into, err)
	}
}

// expandK8s replaces Kubernetes' $(VAR) references with env's values; a
// reference to a variable env does not define is an error.
func expandK8s(s string, env map[string]string) (string, error) {
	var missing []string
	out := regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`).ReplaceAllStringFunc(s, func(m string) string {
		name := m[2 : len(m)-1]
		v, ok := env[name]
		if !ok {
			missing = append(missing, name)
		}
		return v
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("%q uses undefined %v", s, missing)
	}
	return out, nil
}

// parseVpclint parses a vpclint command line with the command's own flags
// and, for scan --aws, the live audit's options.
func parseVpclint(t *testing.T, where string, args []string) {
	t.Helper()
	if len(args) == 0 {
		t.Fatalf("%s: no command", where)
	}
	a := &app{stdout: io.Discard, stderr: io.Discard}
	switch args[0] {
	case "scan":
		cmd := a.scanCommand()
		cmd.SetErr(io.Discard)
		if err := cmd.ParseFlags(args[1:]); err != nil {
			t.Errorf("%s: %v", where, err)
			return
		}
		aws := cmd.Flags().Lookup("aws")
		if aws == nil || aws.Value.String() != "true" {
			t.Errorf("%s: not a live audit: %v", where, args)
		}
	case "merge":
		cmd := a.mergeCommand()
		if err := cmd.ParseFlags(args[1:]); err != nil {
			t.Errorf("%s: %v", where, err)
		}
	default:
		t.Errorf("%s: vpclint %s", where, args[0])
	}
}

// scanShard parses a scan command line and returns its --shard.
func scanShard(t *testing.T, where string, args []string) string {
	t.Helper()
	a := &app{stdout: io.Discard, stderr: io.Discard}
	cmd := a.scanCommand()
	cmd.SetErr(io.Discard)
	if err := cmd.ParseFlags(args[1:]); err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	return cmd.Flags().Lookup("shard").Value.String()
}

// TestKubernetesManifests: the manifests are valid API objects, the audit
// is a CronJob of an Indexed Job whose completion index is the shard, the
// merge step merges as many shards, and their command lines are vpclint's.
func TestKubernetesManifests(t *testing.T) {
	dir := filepath.Join(deployDir, "kubernetes")
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no manifests")
	}
	var cronJobs = map[string]*batchv1.CronJob{}
	claims, accounts := map[string]bool{}, map[string]*corev1.ServiceAccount{}
	for _, file := range files {
		for i, doc := range yamlDocs(t, file) {
			where := fmt.Sprintf("%s[%d]", filepath.Base(file), i)
			switch kind := doc["kind"]; kind {
			case "CronJob":
				var cj batchv1.CronJob
				strictDecode(t, where, doc, &cj)
				cronJobs[cj.Name] = &cj
			case "ServiceAccount":
				var sa corev1.ServiceAccount
				strictDecode(t, where, doc, &sa)
				accounts[sa.Name] = &sa
			case "PersistentVolumeClaim":
				var pvc corev1.PersistentVolumeClaim
				strictDecode(t, where, doc, &pvc)
				if !slices.Contains(pvc.Spec.AccessModes, corev1.ReadWriteMany) {
					t.Errorf("%s: the shards' pods share the volume: want ReadWriteMany", where)
				}
				claims[pvc.Name] = true
			case "Namespace":
				var ns corev1.Namespace
				strictDecode(t, where, doc, &ns)
			case "Kustomization":
				res, _ := doc["resources"].([]any)
				for _, r := range res {
					if _, err := os.Stat(filepath.Join(dir, fmt.Sprint(r))); err != nil {
						t.Errorf("%s: resource %v: %v", where, r, err)
					}
				}
				if len(res) != len(files)-1 {
					t.Errorf("%s lists %d resources, the directory has %d manifests", where, len(res), len(files)-1)
				}
			default:
				t.Errorf("%s: unexpected kind %v", where, kind)
			}
		}
	}
	audit, merge := cronJobs["vpclint-org-audit"], cronJobs["vpclint-org-merge"]
	if audit == nil || merge == nil {
		t.Fatalf("cron jobs %v: want vpclint-org-audit and vpclint-org-merge", cronJobs)
	}
	job := audit.Spec.JobTemplate.Spec
	if job.CompletionMode == nil || *job.CompletionMode != batchv1.IndexedCompletion || job.Completions == nil {
		t.Fatalf("the audit is not an Indexed Job: %+v", job)
	}
	shards := int(*job.Completions)
	pod := job.Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers", len(pod.Containers))
	}
	c := pod.Containers[0]
	env := map[string]string{}
	for _, e := range c.Env {
		switch {
		case e.Value != "":
			env[e.Name] = e.Value
		case e.ValueFrom != nil && e.ValueFrom.FieldRef != nil:
			env[e.Name] = e.ValueFrom.FieldRef.FieldPath
		}
	}
	if env["JOB_COMPLETION_INDEX"] != "metadata.annotations['batch.kubernetes.io/job-completion-index']" || env["SHARDS"] != strconv.Itoa(shards) {
		t.Errorf("env %v: want JOB_COMPLETION_INDEX from the completion index and SHARDS = completions (%d)", env, shards)
	}
	if sa := accounts[pod.ServiceAccountName]; sa == nil || sa.Annotations["eks.amazonaws.com/role-arn"] == "" {
		t.Errorf("service account %q: none with an IRSA role", pod.ServiceAccountName)
	}
	exit2 := false
	if p := job.PodFailurePolicy; p != nil {
		for _, r := range p.Rules {
			exit2 = exit2 || r.Action == batchv1.PodFailurePolicyActionFailIndex && r.OnExitCodes != nil && slices.Contains(r.OnExitCodes.Values, 2) && r.OnExitCodes.ContainerName != nil && *r.OnExitCodes.ContainerName == c.Name
		}
	}
	if !exit2 || job.BackoffLimitPerIndex == nil {
		t.Error("an incomplete shard (exit 2) must fail its index, not be retried")
	}
	// Every pod reads its own shard, and all of them the whole selection.
	seen := map[string]bool{}
	for i := range shards {
		env["JOB_COMPLETION_INDEX"] = strconv.Itoa(i)
		var args []string
		for _, a := range c.Args {
			x, err := expandK8s(a, env)
			if err != nil {
				t.Fatal(err)
			}
			args = append(args, x)
		}
		parseVpclint(t, "audit pod", args)
		seen[scanShard(t, "audit pod", args)] = true
	}
	for i := range shards {
		if !seen[fmt.Sprintf("%d/%d", i, shards)] {
			t.Errorf("no pod reads shard %d/%d (%v)", i, shards, seen)
		}
	}
	// The merge step expects as many shards, from the same volume.
	mc := merge.Spec.JobTemplate.Spec.Template.Spec.Containers[0]
	menv := map[string]string{}
	for _, e := range mc.Env {
		menv[e.Name] = e.Value
	}
	var margs []string
	for _, a := range mc.Args {
		x, err := expandK8s(a, menv)
		if err != nil {
			t.Fatal(err)
		}
		margs = append(margs, x)
	}
	parseVpclint(t, "merge pod", margs)
	if !slices.Contains(margs, "--shards="+strconv.Itoa(shards)) {
		t.Errorf("merge args %v: want --shards=%d", margs, shards)
	}
	for _, cj := range []*batchv1.CronJob{audit, merge} {
		for _, v := range cj.Spec.JobTemplate.Spec.Template.Spec.Volumes {
			if v.PersistentVolumeClaim != nil && !claims[v.PersistentVolumeClaim.ClaimName] {
				t.Errorf("%s: claim %s is not in the manifests", cj.Name, v.PersistentVolumeClaim.ClaimName)
			}
		}
		if cj.Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent {
			t.Errorf("%s: two audits at once would write the same reports", cj.Name)
		}
		for _, c := range cj.Spec.JobTemplate.Spec.Template.Spec.Containers {
			if sc := c.SecurityContext; sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
				t.Errorf("%s: container %s is not locked down", cj.Name, c.Name)
			}
		}
	}
}

// shellWords splits a shell command line: words, single and double
// quotes, backslash-newline continuations; $VAR and ${VAR} are replaced
// from env.
func shellWords(s string, env map[string]string) ([]string, error) {
	s = strings.ReplaceAll(s, "\\\n", " ")
	expand := func(w string) (string, error) {
		var err error
		out := regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`).ReplaceAllStringFunc(w, func(m string) string {
			name := strings.Trim(m, "${}")
			v, ok := env[name]
			if !ok {
				err = fmt.Errorf("$%s is not set", name)
			}
			return v
		})
		return out, err
	}
	var words []string
	var cur strings.Builder
	in, quote := false, byte(0)
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case quote != 0 && ch == quote:
			quote = 0
		case quote == '\'':
			cur.WriteByte(ch)
		case quote == '"':
			cur.WriteByte(ch)
		case ch == '\'' || ch == '"':
			quote, in = ch, true
		case ch == ' ' || ch == '\t' || ch == '\n':
			if in {
				w, err := expand(cur.String())
				if err != nil {
					return nil, err
				}
				words = append(words, w)
				cur.Reset()
				in = false
			}
		default:
			cur.WriteByte(ch)
			in = true
		}
	}
	if quote != 0 {
		return nil, errors.New("unterminated quote")
	}
	if in {
		w, err := expand(cur.String())
		if err != nil {
			return nil, err
		}
		words = append(words, w)
	}
	return words, nil
}

// TestGitHubWorkflow: the scheduled workflow shards the audit over a
// matrix of at most 256 jobs, signs each shard in with OIDC, merges after
// every shard even failed ones, uploads each SARIF file on its own, and
// runs vpclint command lines that parse.
func TestGitHubWorkflow(t *testing.T) {
	path := filepath.Join(deployDir, "github", "vpclint-org-audit.yml")
	docs := yamlDocs(t, path)
	if len(docs) != 1 {
		t.Fatalf("%d documents", len(docs))
	}
	var wf struct {
		On   map[string]any    `json:"on"`
		Env  map[string]string `json:"env"`
		Jobs map[string]struct {
			Needs       any               `json:"needs"`
			If          string            `json:"if"`
			Permissions map[string]string `json:"permissions"`
			Strategy    struct {
				Matrix map[string]any `json:"matrix"`
			} `json:"strategy"`
			Outputs map[string]string `json:"outputs"`
			Steps   []struct {
				ID   string            `json:"id"`
				Uses string            `json:"uses"`
				Run  string            `json:"run"`
				If   string            `json:"if"`
				With map[string]any    `json:"with"`
				Env  map[string]string `json:"env"`
			} `json:"steps"`
		} `json:"jobs"`
	}
	b, err := json.Marshal(docs[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &wf); err != nil {
		t.Fatal(err)
	}
	if _, ok := wf.On["schedule"]; !ok {
		t.Error("not scheduled")
	}
	shards, err := strconv.Atoi(wf.Env["SHARDS"])
	if err != nil {
		t.Fatalf("env SHARDS %q", wf.Env["SHARDS"])
	}
	audit, merge, upload := wf.Jobs["audit"], wf.Jobs["merge"], wf.Jobs["upload"]
	matrix, _ := audit.Strategy.Matrix["shard"].([]any)
	var want []any
	for i := range shards {
		want = append(want, float64(i))
	}
	if !slices.Equal(matrix, want) || shards > 256 {
		t.Errorf("audit matrix %v: want 0 ... SHARDS-1 (%d), at most 256 jobs", matrix, shards)
	}
	if audit.Permissions["id-token"] != "write" || audit.Permissions["security-events"] != "" {
		t.Errorf("audit permissions %v: OIDC only", audit.Permissions)
	}
	if merge.Needs != "audit" || !strings.Contains(merge.If, "always()") {
		t.Errorf("merge: needs %v, if %q: it must run after every shard, failed or not", merge.Needs, merge.If)
	}
	if upload.Permissions["security-events"] != "write" || !strings.Contains(fmt.Sprint(upload.Strategy.Matrix["file"]), "needs.merge.outputs.sarif") {
		t.Errorf("upload: permissions %v, matrix %v: one job per SARIF file", upload.Permissions, upload.Strategy.Matrix)
	}
	env := map[string]string{"GITHUB_STEP_SUMMARY": "summary.md", "GITHUB_OUTPUT": "out"}
	for k, v := range wf.Env {
		env[k] = v
	}
	commands := 0
	for name, job := range wf.Jobs {
		for _, st := range job.Steps {
			if st.Uses == "aws-actions/configure-aws-credentials@v4" && (st.With["role-session-name"] == nil || !strings.Contains(fmt.Sprint(st.With["role-session-name"]), "matrix.shard")) {
				t.Errorf("%s: each shard signs in with its own session name", name)
			}
			if strings.HasPrefix(st.Uses, "github/codeql-action/upload-sarif") && !strings.Contains(fmt.Sprint(st.With["sarif_file"]), "matrix.file") {
				t.Errorf("%s: upload one SARIF file per job, not a directory", name)
			}
			for _, line := range strings.Split(strings.ReplaceAll(st.Run, "\\\n", " "), "\n") {
				line = strings.TrimSpace(line)
				if !strings.HasPrefix(line, "vpclint ") {
					continue
				}
				line = strings.ReplaceAll(line, "${{ matrix.shard }}", "3")
				words, err := shellWords(line, env)
				if err != nil {
					t.Fatalf("%s: %q: %v", name, line, err)
				}
				parseVpclint(t, name, words[1:])
				if words[1] == "scan" {
					if sh := scanShard(t, name, words[1:]); sh != fmt.Sprintf("3/%d", shards) {
						t.Errorf("%s: --shard %s", name, sh)
					}
				}
				if words[1] == "merge" && !slices.Contains(words, strconv.Itoa(shards)) {
					t.Errorf("%s: merge %v: want --shards %d", name, words, shards)
				}
				commands++
			}
		}
	}
	if commands != 2 {
		t.Errorf("%d vpclint command lines, want the audit's and the merge's", commands)
	}
}
