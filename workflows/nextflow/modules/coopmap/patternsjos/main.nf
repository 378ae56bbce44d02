// COOPMAP_PATTERNSJOS: Jaccard Overlap Score per head of the annotated patterns (labels = patterns.tsv).
// The command line follows stage "patterns_jos" of workflows/stages.yaml (check it with
// tests/nextflow_check.py drift THIS_FILE patterns_jos); the stage options come from task.ext.args
// (conf/modules.config).
process COOPMAP_PATTERNSJOS {
    tag "${meta.id}"
    label 'process_single'

    conda "${moduleDir}/environment.yml"
    container "${ workflow.containerEngine == 'singularity' || workflow.containerEngine == 'apptainer' ? 'coopmap.sif' : 'localhost/coopmap:0.1.0' }"

    input:
    tuple val(meta), path(labels), path(matches)

    output:
    tuple val(meta), path("*.patterns_jos.tsv"), emit: jos
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    coopmap-family jos --labels ${labels} --key-col pattern --label-col head ${args} -o ${prefix}.patterns_jos.tsv ${matches}

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-family --version | sed 's/^coopmap-family //')
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.patterns_jos.tsv
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-family --version | sed 's/^coopmap-family //')
    END_VERSIONS
    """
}
