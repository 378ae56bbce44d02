// Run main.nf's channel logic without Nextflow (tests/nextflow_check.py dataflow):
//   groovy tests/nextflow/dataflow.groovy REQUEST.json
// REQUEST.json: {"main": path of main.nf, "params": {name: value} (nextflow.config's params
//   with the test's overrides)}.
// main.nf is evaluated as a Groovy script (Nextflow's DSL2 is Groovy syntax): `include { P }
// from './modules/...'` reads the module's process P (its input tuple and output emits);
// `workflow NAME { ... }` defines a workflow; the entry `workflow { ... }` is then run.
// Channels are eager lists with the operators main.nf uses (map, filter, flatMap, mix,
// combine, join, groupTuple, toSortedList, first, unique, collectFile; Nextflow's
// semantics for tuples); calling a process checks each item's arity against the module's
// input tuple and emits, per task, the module's outputs as placeholders
// "PROC(meta.id):GLOB".  file(p, checkIfExists: true) fails on a missing file, error()
// stops the run, a process called twice or never called but read from is an error.
// Prints one line per task, in call order: "PROC ID: input=value ..." (files by their
// base name, lists in [a,b]); on error() "ERROR: message" and exit 1; any other failure
// exit 2.
import groovy.json.JsonSlurper
import org.codehaus.groovy.control.CompilerConfiguration

class NfError extends RuntimeException {
    NfError(String m) { super(m) }
}

class NfFile {
    String path
    NfFile(String p) { path = p }
    boolean exists() { new File(path).exists() }
    String getName() { new File(path).name }
    String toString() { getName() }
    boolean equals(Object o) { o instanceof NfFile && o.path == path }
    int hashCode() { path.hashCode() }
    // splitCsv(header: true): one map per row, keyed by the header's columns
    List splitCsv(Map opts) {
        def lines = new File(path).readLines().findAll { it.trim() }
        if (!opts.header) return lines.collect { it.split(',', -1) as List }
        def head = lines[0].split(',', -1) as List
        return lines.drop(1).collect { l ->
            def f = l.split(',', -1) as List
            def r = [:]
            head.eachWithIndex { h, i -> r[h] = i < f.size() && f[i] != '' ? f[i] : null }
            r
        }
    }
}

// an output file of a process task
class Out {
    String proc, id, glob
    String toString() { "${proc}(${id}):${glob}" }
    boolean equals(Object o) { o instanceof Out && o.toString() == toString() }
    int hashCode() { toString().hashCode() }
}

class Ch {
    List items
    Ch(List items) { this.items = items }
    static List asList(x) { x instanceof List ? x : [x] }
    Ch map(Closure c) { new Ch(items.collect { c.call(it) }) }
    Ch filter(Closure c) { new Ch(items.findAll { c.call(it) }) }
    Ch flatMap(Closure c) { new Ch(items.collectMany { asList(c.call(it)) }) }
    Ch mix(Ch... others) { new Ch(items + others.collectMany { it.items }) }
    Ch combine(Ch other) { new Ch(items.collectMany { a -> other.items.collect { b -> asList(a) + asList(b) } }) }
    Ch join(Ch other) {
        new Ch(items.findResults { a ->
            def b = other.items.find { it[0] == a[0] }
            b == null ? null : a + b.drop(1)
        })
    }
    Ch groupTuple(Map opts = [:]) {
        def groups = new LinkedHashMap()
        items.each { t -> groups.get(t[0], []) << t.drop(1) }
        new Ch(groups.collect { k, ts ->
            if (opts.size && ts.size() != (opts.size as int))
                throw new NfError("groupTuple(size: ${opts.size}): ${ts.size()} items for key ${k}")
            [k] + (ts ? ts[0].indices.collect { i -> ts.collect { it[i] } } : [])
        })
    }
    Ch toSortedList(Closure c = null) { new Ch([c ? new ArrayList(items).sort(c) : new ArrayList(items).sort()]) }
    Ch first() { new Ch(items ? [items[0]] : []) }
    Ch unique() { new Ch(items.unique(false)) }
    Ch collectFile(Map opts) { new Ch([]) }
}

class ChannelFactory {
    Ch of(Object... xs) { new Ch(xs.collectMany { it instanceof Range ? it as List : [it] }) }
    Ch fromList(List l) { new Ch(new ArrayList(l)) }
    Ch empty() { new Ch([]) }
}

class Proc {
    String name
    List inputs      // the input tuple's names: [meta, a, b, ...]
    List emits       // [[emit, [globs] or null (one path, not a tuple)]]
    Map out = null
    List log
    def run(Object[] args) {
        if (out != null) throw new NfError("Process '${name}' has been already used")
        if (args.length != 1 || !(args[0] instanceof Ch))
            throw new NfError("${name}: called with ${args.length} arguments, not one channel")
        def outs = emits.collectEntries { e -> [e[0], []] }
        ((Ch) args[0]).items.each { t ->
            if (!(t instanceof List) || t.size() != inputs.size())
                throw new NfError("${name}: input tuple of ${inputs.size()} (${inputs.join(', ')}), got ${t}")
            def meta = t[0]
            if (!(meta instanceof Map) || meta.id == null) throw new NfError("${name}: no meta.id in ${t}")
            def words = (1..<inputs.size()).collect { i -> "${inputs[i]}=${show(t[i])}" }
            log << "${name} ${meta.id}: ${words.join(' ')}".toString()
            emits.each { e ->
                outs[e[0]] << (e[1] == null ? new Out(proc: name, id: meta.id, glob: 'versions.yml')
                              : [meta] + e[1].collect { g -> new Out(proc: name, id: meta.id, glob: g) })
            }
        }
        out = outs.collectEntries { k, v -> [k, new Ch(v)] }
        return out
    }
    def call(Object... args) { run(args) }
    def getOut() {
        if (out == null) throw new NfError("${name}.out read but ${name} was never called")
        return out
    }
    static String show(x) { x instanceof List ? '[' + x.collect { show(it) }.join(',') + ']' : x.toString() }

    // the process of a module's main.nf: its name, input tuple and output emits
    static Proc parse(File f, List log) {
        def text = f.text
        def name = (text =~ /(?m)^process\s+(\w+)\s*\{/)[0][1]
        def inp = (text =~ /(?s)\n\s*input:\s*\n\s*tuple (.*?)\n/)[0][1]
        def inputs = (inp =~ /(?:val|path)\((\w+)\)/).collect { it[1] }
        def outBlock = (text =~ /(?s)\n\s*output:\s*\n(.*?)\n\s*\n/)[0][1]
        def emits = outBlock.readLines().findAll { it.trim() }.collect { l ->
            def e = (l =~ /emit:\s*(\w+)/)[0][1]
            l.trim().startsWith('tuple val(meta)') ? [e, (l =~ /path\("([^"]+)"/).collect { it[1] }] : [e, null]
        }
        new Proc(name: name, inputs: inputs, emits: emits, log: log)
    }
}

// the delegate of an include's closure { NAME }: a property read returns its name
class NameCatcher {
    def propertyMissing(String n) { n }
}

class Includer {
    Closure names
    File base
    Map procs
    Binding binding
    List log
    def from(String path) {
        names.delegate = new NameCatcher()
        names.resolveStrategy = Closure.DELEGATE_FIRST
        def name = names.call()
        def f = new File(base, path.replaceFirst(/^\.\//, '') + '.nf')
        def p = Proc.parse(f, log)
        if (p.name != name) throw new NfError("include { ${name} } from '${path}': the module's process is ${p.name}")
        procs[name] = p
        binding.setVariable(name, p)
        return p
    }
}

abstract class NfScript extends Script {
    Map getNf() { binding.getVariable('__nf') }
    def include(Closure c) {
        new Includer(names: c, base: nf.base, procs: nf.procs, binding: binding, log: nf.log)
    }
    def workflow(Object w) {
        if (w instanceof Closure) nf.entry = w
        return null
    }
    def file(Map opts, Object path) {
        def f = new NfFile(path.toString())
        if (opts.checkIfExists && !f.exists()) throw new NfError("No such file or directory: ${path}")
        return f
    }
    def file(Object path) { file([:], path) }
    def error(Object msg) { throw new NfError(msg.toString()) }
    def methodMissing(String name, Object args) {
        Object[] a = args as Object[]
        if (nf.procs.containsKey(name)) return nf.procs[name].run(a)
        if (nf.workflows.containsKey(name)) return nf.workflows[name].call()
        if (a.length == 1 && a[0] instanceof Closure && name ==~ /[A-Z][A-Z0-9_]*/) {
            nf.workflows[name] = a[0]
            return name
        }
        throw new MissingMethodException(name, this.getClass(), a)
    }
}

def req = new JsonSlurper().parse(new File(args[0]))
def main = new File(req.main as String)
def log = []
def nf = [base: main.parentFile, procs: [:], workflows: [:], entry: null, log: log]
def params = new LinkedHashMap(req.params as Map)
def binding = new Binding([__nf: nf, params: params, Channel: new ChannelFactory(),
                           nextflow: [enable: [:]], projectDir: main.parentFile.path])
def cc = new CompilerConfiguration()
cc.scriptBaseClass = NfScript.name
def shell = new GroovyShell(this.class.classLoader, binding, cc)
int rc = 0
try {
    shell.evaluate(main)
    if (nf.entry == null) throw new NfError("${main}: no entry workflow")
    def entry = nf.entry
    entry.call()
} catch (NfError e) {
    log << "ERROR: ${e.message}".toString()
    rc = 1
}
log.each { println it }
System.exit(rc)
