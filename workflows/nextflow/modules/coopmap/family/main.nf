// COOPMAP_FAMILY: Jaccard Overlap Score per TF of the compared patterns (EpiBinder).
// The command line follows stage "family" of workflows/stages.yaml (tests/nextflow.bats checks it);
// the stage options come from task.ext.args (conf/modules.config).
process COOPMAP_FAMILY {
    tag "${meta.id}"
    label 'process_single'

    conda "${moduleDir}/environment.yml"
    container "${ workflow.containerEngine == 'singularity' || workflow.containerEngine == 'apptainer' ? 'coopmap.sif' : 'localhost/coopmap:0.1.0' }"

    input:
    tuple val(meta), path(labels), path(matches)

    output:
    tuple val(meta), path("*.family_jos.tsv"), emit: jos
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    coopmap-family jos --labels ${labels} ${args} -o ${prefix}.family_jos.tsv ${matches}

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-family --version | sed 's/^coopmap-family //')
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.family_jos.tsv
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-family --version | sed 's/^coopmap-family //')
    END_VERSIONS
    """
}
