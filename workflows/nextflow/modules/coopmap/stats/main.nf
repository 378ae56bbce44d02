// COOPMAP_STATS: t-tests, Benjamini-Hochberg, the cooperativity tables and heatmap.
// The command line follows stage "stats" of workflows/stages.yaml (tests/nextflow.bats checks it);
// the stage options come from task.ext.args (conf/modules.config).
process COOPMAP_STATS {
    tag "${meta.id}"
    label 'process_single'

    conda "${moduleDir}/environment.yml"
    container "${ workflow.containerEngine == 'singularity' || workflow.containerEngine == 'apptainer' ? 'coopmap.sif' : 'localhost/coopmap:0.1.0' }"

    input:
    tuple val(meta), path(effects)

    output:
    tuple val(meta), path("*.cooperativity.tsv"), path("*.cooperativity_matrix.tsv"), path("*.heatmap.svg"), emit: stats
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    def title = (meta.title ?: "TF-TF cooperativity: ${meta.id}").toString().replace("'", "'\\''")
    """
    coopmap-stats ${args} --title '${title}' --long ${prefix}.cooperativity.tsv --matrix ${prefix}.cooperativity_matrix.tsv --svg ${prefix}.heatmap.svg ${effects}

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-stats --version | sed 's/^coopmap-stats //')
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.cooperativity.tsv ${prefix}.cooperativity_matrix.tsv ${prefix}.heatmap.svg
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-stats --version | sed 's/^coopmap-stats //')
    END_VERSIONS
    """
}
