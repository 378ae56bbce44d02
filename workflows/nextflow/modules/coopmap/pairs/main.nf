// COOPMAP_PAIRS: Localize motif sites in labelled peaks and enumerate TF pairs with their model windows.
// The command line follows stage "pairs" of workflows/stages.yaml (tests/nextflow.bats checks it);
// the stage options come from task.ext.args (conf/modules.config).
process COOPMAP_PAIRS {
    tag "${meta.id}"
    label 'process_single'

    conda "${moduleDir}/environment.yml"
    container "${ workflow.containerEngine == 'singularity' || workflow.containerEngine == 'apptainer' ? 'coopmap.sif' : 'localhost/coopmap:0.1.0' }"

    input:
    tuple val(meta), path(sites), path(peaks), path(model), path(genome), path(genome_index)

    output:
    tuple val(meta), path("*.pairs.tsv"), path("*.sources.tsv"), emit: pairs
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    def cells = meta.cells ? "--cells ${meta.cells instanceof List ? meta.cells.join(',') : meta.cells}" : ''
    """
    coopmap-pairs --peaks ${peaks} ${cells} ${args} --model ${model} --genome ${genome} --sources ${prefix}.sources.tsv -o ${prefix}.pairs.tsv ${sites}

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-pairs --version | sed 's/^coopmap-pairs //')
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.pairs.tsv ${prefix}.sources.tsv
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-pairs --version | sed 's/^coopmap-pairs //')
    END_VERSIONS
    """
}
