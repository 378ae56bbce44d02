// Render Nextflow module script: blocks without Nextflow (tests/nextflow_check.py):
//   groovy tests/nextflow/render.groovy REQUEST.json
// REQUEST.json: {"params_config": "params { ... }" (ConfigSlurper text), "project_dir": DIR,
//   "jobs": [{"section": the text of a script: block, "vars": {input name: value},
//             "meta": {...}, "cpus": N, "process": NAME, "ext_args": GString text or null}]}
// The params are parsed as Nextflow parses its config (ConfigSlurper); task.ext.args is
// the ext.args closure's expression evaluated with those params; the section is
// evaluated as Groovy with the inputs, meta and task bound, like Nextflow's script: block.
// Prints {"params": {...}, "scripts": [rendered text, ...]} as JSON.
import groovy.json.JsonOutput
import groovy.json.JsonSlurper

def req = new JsonSlurper().parse(new File(args[0]))
def slurper = new ConfigSlurper()
slurper.setBinding([projectDir: req.project_dir])
def params = slurper.parse(req.params_config).params
def out = []
req.jobs.each { j ->
    def extArgs = j.ext_args == null ? null :
        new GroovyShell(new Binding([params: params])).evaluate(j.ext_args).toString()
    def task = [cpus: j.cpus, process: j.process, ext: [args: extArgs, prefix: null, when: null]]
    def b = new Binding([task: task, params: params, meta: j.meta] + j.vars)
    out << new GroovyShell(b).evaluate(j.section).toString()
}
println JsonOutput.toJson([params: params.collectEntries { k, v -> [k, v instanceof Number || v instanceof Boolean || v == null ? v : v.toString()] }, scripts: out])
