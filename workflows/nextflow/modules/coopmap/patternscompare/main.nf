// COOPMAP_PATTERNSCOMPARE: Tomtom-compatible annotation of the patterns against the motif database.
// The command line follows stage "patterns_compare" of workflows/stages.yaml (check it with
// tests/nextflow_check.py drift THIS_FILE patterns_compare); the stage options come from task.ext.args
// (conf/modules.config).
process COOPMAP_PATTERNSCOMPARE {
    tag "${meta.id}"
    label 'process_medium'

    conda "${moduleDir}/environment.yml"
    container "${ workflow.containerEngine == 'singularity' || workflow.containerEngine == 'apptainer' ? 'coopmap.sif' : 'localhost/coopmap:0.1.0' }"

    input:
    tuple val(meta), path(queries), path(targets)

    output:
    tuple val(meta), path("*.patterns_tomtom.tsv"), emit: matches
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    coopmap-compare ${args} --threads ${task.cpus} -o ${prefix}.patterns_tomtom.tsv ${queries} ${targets}

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-compare --version | sed 's/^coopmap-compare //')
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.patterns_tomtom.tsv
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-compare --version | sed 's/^coopmap-compare //')
    END_VERSIONS
    """
}
