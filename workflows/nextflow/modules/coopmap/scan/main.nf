// COOPMAP_SCAN: FIMO-compatible motif scan of a genome (optionally one motif slice: meta.shard = 'K/N').
// The command line follows stage "scan" of workflows/stages.yaml (tests/nextflow.bats checks it);
// the stage options come from task.ext.args (conf/modules.config).
process COOPMAP_SCAN {
    tag "${meta.id}"
    label 'process_medium'

    conda "${moduleDir}/environment.yml"
    container "${ workflow.containerEngine == 'singularity' || workflow.containerEngine == 'apptainer' ? 'coopmap.sif' : 'localhost/coopmap:0.1.0' }"

    input:
    tuple val(meta), path(motifs), path(genome), path(genome_index)

    output:
    tuple val(meta), path("*.sites.tsv"), emit: sites
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    def shard = meta.shard ? "--shard ${meta.shard}" : ''
    """
    coopmap-scan ${args} ${shard} --threads ${task.cpus} -o ${prefix}.sites.tsv ${motifs} ${genome}

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-scan --version | sed 's/^coopmap-scan //')
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.sites.tsv
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-scan --version | sed 's/^coopmap-scan //')
    END_VERSIONS
    """
}
