// Parse Groovy/Nextflow files to an AST (syntax only: Phases.CONVERSION, no class
// resolution), as a Nextflow-less check of workflows/nextflow (tests/nextflow.bats).
//   groovy tests/nextflow/parse.groovy FILE...
// Prints "ok FILE" per file; on a syntax error "FILE:LINE:COLUMN: message" and exit 1.
import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.Phases
import org.codehaus.groovy.control.MultipleCompilationErrorsException
import org.codehaus.groovy.control.messages.SyntaxErrorMessage

int bad = 0
args.each { path ->
    def cu = new CompilationUnit(new CompilerConfiguration())
    cu.addSource(new File(path))
    try {
        cu.compile(Phases.CONVERSION)
        println "ok ${path}"
    } catch (MultipleCompilationErrorsException e) {
        bad++
        e.errorCollector.errors.each { m ->
            if (m instanceof SyntaxErrorMessage) {
                def c = m.cause
                System.err.println "${path}:${c.line}:${c.startColumn}: ${c.originalMessage}"
            } else {
                System.err.println "${path}: ${m}"
            }
        }
    }
}
System.exit(bad ? 1 : 0)
